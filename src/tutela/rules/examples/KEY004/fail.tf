resource "aws_kms_key" "imaging_data" {
  description             = "Imaging data"
  enable_key_rotation     = true
  deletion_window_in_days = 7
}
