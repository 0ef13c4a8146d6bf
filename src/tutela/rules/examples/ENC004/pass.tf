# HTTPS with an ACM certificate; port 80 only redirects to HTTPS.
variable "certificate_arn" {
  type    = string
  default = "arn:aws:acm:us-east-1:111122223333:certificate/0d6c5a3e-8f41-4b7e-9a52-3c1f2e4d5b6a"
}

resource "aws_lb" "members" {
  name               = "members-portal"
  load_balancer_type = "application"
  subnets            = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
}

resource "aws_lb_listener" "members_https" {
  load_balancer_arn = aws_lb.members.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/members/73e2d6bc24d8a067"
  }
}

resource "aws_lb_listener" "members_http" {
  load_balancer_arn = aws_lb.members.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}
