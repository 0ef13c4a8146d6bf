# A symmetric customer-managed key that never rotates (rotation is off by default).
resource "aws_kms_key" "claims_data" {
  description             = "Claims data encryption key"
  deletion_window_in_days = 30

  tags = {
    team = "claims"
  }
}
