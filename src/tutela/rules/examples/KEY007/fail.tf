# Key material generated elsewhere and imported into KMS.
resource "aws_kms_external_key" "partner_exchange" {
  description             = "Partner data exchange"
  key_material_base64     = var.partner_key_material
  deletion_window_in_days = 30
}

variable "partner_key_material" {
  type      = string
  sensitive = true
}
