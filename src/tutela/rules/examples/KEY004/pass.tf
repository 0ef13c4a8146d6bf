resource "aws_kms_key" "claims_data" {
  description             = "Claims data"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}
