# A public ALB that serves the patient portal over plain HTTP.
resource "aws_lb" "portal" {
  name               = "patient-portal"
  load_balancer_type = "application"
  subnets            = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
}

resource "aws_lb_listener" "portal_http" {
  load_balancer_arn = aws_lb.portal.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/portal/6d0ecf831eec9f09"
  }
}
