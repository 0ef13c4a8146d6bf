resource "aws_acm_certificate" "legacy_portal" {
  domain_name       = "legacy.example.org"
  validation_method = "EMAIL"
}
