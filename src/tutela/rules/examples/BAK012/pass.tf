resource "aws_backup_vault" "records" {
  name = "records"
}

resource "aws_sns_topic" "backup_alerts" {
  name              = "backup-alerts"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_backup_vault_notifications" "records" {
  backup_vault_name   = aws_backup_vault.records.name
  sns_topic_arn       = aws_sns_topic.backup_alerts.arn
  backup_vault_events = ["BACKUP_JOB_COMPLETED", "COPY_JOB_FAILED"]
}
