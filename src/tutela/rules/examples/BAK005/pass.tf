resource "aws_backup_plan" "records" {
  name = "records"

  rule {
    rule_name         = "daily"
    target_vault_name = "records-vault"
    schedule          = "cron(0 5 * * ? *)"

    lifecycle {
      cold_storage_after = 30
      delete_after       = 365
    }
  }
}
