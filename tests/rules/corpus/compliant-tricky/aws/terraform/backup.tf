resource "aws_backup_vault" "primary" {
  name        = "${var.name}-primary"
  kms_key_arn = aws_kms_key.this["backup"].arn
}

resource "aws_backup_vault" "dr" {
  provider = aws.dr

  name        = "${var.name}-dr"
  kms_key_arn = aws_kms_replica_key.dr["backup"].arn
}

resource "aws_backup_vault_lock_configuration" "this" {
  for_each = {
    primary = aws_backup_vault.primary.name
  }

  backup_vault_name   = each.value
  min_retention_days  = 35
  max_retention_days  = 3650
  changeable_for_days = 3
}

resource "aws_backup_vault_lock_configuration" "dr" {
  provider = aws.dr

  backup_vault_name  = aws_backup_vault.dr.name
  min_retention_days = 35
}

resource "aws_backup_vault_notifications" "primary" {
  backup_vault_name   = aws_backup_vault.primary.name
  sns_topic_arn       = aws_sns_topic.security_alerts.arn
  backup_vault_events = ["BACKUP_JOB_COMPLETED", "COPY_JOB_FAILED", "RESTORE_JOB_COMPLETED"]
}

resource "aws_backup_vault_notifications" "dr" {
  provider = aws.dr

  backup_vault_name   = aws_backup_vault.dr.name
  sns_topic_arn       = aws_sns_topic.security_alerts.arn
  backup_vault_events = ["BACKUP_JOB_COMPLETED"]
}

resource "aws_backup_plan" "claims" {
  name = "${var.name}-claims"

  dynamic "rule" {
    for_each = {
      daily   = { schedule = "cron(0 5 * * ? *)", keep = 35 }
      monthly = { schedule = "cron(0 6 1 * ? *)", keep = 2557 }
    }
    content {
      rule_name         = rule.key
      target_vault_name = aws_backup_vault.primary.name
      schedule          = rule.value.schedule

      lifecycle {
        delete_after = rule.value.keep
      }

      copy_action {
        destination_vault_arn = aws_backup_vault.dr.arn

        lifecycle {
          delete_after = rule.value.keep
        }
      }
    }
  }
}

resource "aws_backup_selection" "claims" {
  name         = "${var.name}-claims"
  plan_id      = aws_backup_plan.claims.id
  iam_role_arn = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/service-role/AWSBackupDefaultServiceRole"
  resources    = [aws_rds_cluster.claims.arn, aws_dynamodb_table.claims.arn]
}

resource "aws_backup_restore_testing_plan" "claims" {
  name                = "${replace(var.name, "-", "_")}_restore_tests"
  schedule_expression = "cron(0 7 ? * 2#1 *)"

  recovery_point_selection {
    algorithm            = "LATEST_WITHIN_WINDOW"
    include_vaults       = [aws_backup_vault.primary.arn]
    recovery_point_types = ["SNAPSHOT", "CONTINUOUS"]
  }
}
