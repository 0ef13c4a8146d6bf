# Automatic yearly rotation of the key material.
resource "aws_kms_key" "member_data" {
  description             = "Member data encryption key"
  deletion_window_in_days = 30
  enable_key_rotation     = true
  rotation_period_in_days = 365

  tags = {
    team = "members"
  }
}
