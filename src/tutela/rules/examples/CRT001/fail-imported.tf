resource "aws_acm_certificate" "partner_gateway" {
  private_key      = file("certs/partner-gateway.key")
  certificate_body = file("certs/partner-gateway.crt")
}
