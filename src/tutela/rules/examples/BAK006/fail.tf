resource "aws_backup_plan" "analytics" {
  name = "analytics"

  rule {
    rule_name         = "daily"
    target_vault_name = "analytics-vault"
    schedule          = "cron(0 5 * * ? *)"

    lifecycle {
      delete_after = 35
    }
  }
}
