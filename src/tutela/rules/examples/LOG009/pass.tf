resource "aws_lb" "portal" {
  name               = "portal"
  load_balancer_type = "application"
  subnets            = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]

  access_logs {
    bucket  = "portal-lb-logs"
    prefix  = "portal"
    enabled = true
  }
}
