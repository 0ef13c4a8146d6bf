# TLS 1.3 with a TLS 1.2 floor.
resource "aws_lb_listener" "members_api_https" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/members-api/50dc6c495c0c9188"
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = "arn:aws:acm:us-east-1:111122223333:certificate/0d6c5a3e-8f41-4b7e-9a52-3c1f2e4d5b6a"

  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/members-api/73e2d6bc24d8a067"
  }
}
