resource "aws_backup_restore_testing_plan" "records_yearly" {
  name                = "records_yearly"
  schedule_expression = "cron(0 5 1 1 ? *)"

  recovery_point_selection {
    algorithm            = "LATEST_WITHIN_WINDOW"
    include_vaults       = ["*"]
    recovery_point_types = ["SNAPSHOT"]
  }
}
