# An HTTPS listener pinned to a 2016 policy that still accepts TLS 1.0 and 1.1.
resource "aws_lb_listener" "api_https" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/claims-api/50dc6c495c0c9188"
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-2016-08"
  certificate_arn   = "arn:aws:acm:us-east-1:111122223333:certificate/0d6c5a3e-8f41-4b7e-9a52-3c1f2e4d5b6a"

  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/claims-api/73e2d6bc24d8a067"
  }
}
