resource "aws_lb" "claims" {
  name               = "claims"
  load_balancer_type = "application"
  subnets            = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]

  # enabled defaults to false even with a bucket
  access_logs {
    bucket = "claims-lb-logs"
  }
}
