resource "aws_backup_vault" "analytics" {
  name = "analytics"
}
