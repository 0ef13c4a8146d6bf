resource "aws_backup_plan" "records" {
  name = "records"

  rule {
    rule_name         = "daily"
    target_vault_name = "records-vault"
    schedule          = "cron(0 5 * * ? *)"
  }
}

resource "aws_backup_selection" "records" {
  name         = "records"
  plan_id      = aws_backup_plan.records.id
  iam_role_arn = "arn:aws:iam::111122223333:role/backup"

  selection_tag {
    type  = "STRINGEQUALS"
    key   = "backup"
    value = "daily"
  }
}
