resource "aws_secretsmanager_secret" "fax_gateway" {
  name = "fax-gateway/api-key"
}
