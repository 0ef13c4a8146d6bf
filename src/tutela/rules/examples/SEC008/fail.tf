resource "aws_ssm_parameter" "fax_api_key" {
  name  = "/fax/prod/api_key"
  type  = "String"
  value = var.fax_api_key
}

variable "fax_api_key" {
  type      = string
  sensitive = true
}
