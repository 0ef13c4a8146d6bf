resource "aws_backup_restore_testing_plan" "records_quarterly" {
  name                = "records_quarterly"
  schedule_expression = "cron(0 5 1 1,4,7,10 ? *)"

  recovery_point_selection {
    algorithm            = "LATEST_WITHIN_WINDOW"
    include_vaults       = ["*"]
    recovery_point_types = ["SNAPSHOT"]
  }
}
