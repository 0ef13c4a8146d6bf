resource "aws_acm_certificate" "kiosk" {
  domain_name       = "kiosk.example.org"
  validation_method = "DNS"
  key_algorithm     = "RSA_1024"
}
