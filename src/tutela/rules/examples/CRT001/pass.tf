resource "aws_acm_certificate" "portal" {
  domain_name       = "portal.example.org"
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}
