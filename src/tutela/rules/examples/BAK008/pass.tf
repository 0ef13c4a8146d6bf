resource "aws_backup_vault" "records" {
  name = "records"
}

resource "aws_backup_vault_lock_configuration" "records" {
  backup_vault_name   = aws_backup_vault.records.name
  min_retention_days  = 35
  max_retention_days  = 3650
  changeable_for_days = 3
}
