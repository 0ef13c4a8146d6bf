resource "aws_acm_certificate" "api" {
  domain_name       = "api.example.org"
  validation_method = "DNS"
  key_algorithm     = "EC_prime256v1"
}
