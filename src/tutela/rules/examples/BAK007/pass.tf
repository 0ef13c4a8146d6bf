resource "aws_backup_vault" "records" {
  name        = "records"
  kms_key_arn = aws_kms_key.backup.arn
}

resource "aws_kms_key" "backup" {
  description         = "Backup vault"
  enable_key_rotation = true
}
