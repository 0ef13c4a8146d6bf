resource "aws_backup_restore_testing_plan" "records_weekly" {
  name                = "records_weekly"
  schedule_expression = "cron(0 5 ? * SUN *)"

  recovery_point_selection {
    algorithm            = "LATEST_WITHIN_WINDOW"
    include_vaults       = ["*"]
    recovery_point_types = ["SNAPSHOT"]
  }
}
