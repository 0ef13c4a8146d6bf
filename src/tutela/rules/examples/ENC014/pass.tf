resource "aws_efs_file_system" "imaging_share" {
  creation_token = "imaging-share"
  encrypted      = true
  kms_key_id     = aws_kms_key.imaging.arn
}

resource "aws_kms_key" "imaging" {
  description         = "Imaging share"
  enable_key_rotation = true
}
