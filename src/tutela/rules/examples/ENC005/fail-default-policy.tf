# A TLS listener on an NLB without ssl_policy: the legacy default policy applies.
resource "aws_lb_listener" "hl7_tls" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/hl7-feed/a1b2c3d4e5f60718"
  port              = 6661
  protocol          = "TLS"
  certificate_arn   = "arn:aws:acm:us-east-1:111122223333:certificate/0d6c5a3e-8f41-4b7e-9a52-3c1f2e4d5b6a"

  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/hl7-feed/0a1b2c3d4e5f6071"
  }
}
