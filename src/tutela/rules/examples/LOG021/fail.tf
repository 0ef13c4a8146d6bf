resource "aws_cloudwatch_log_group" "iam_silent_trail" {
  name              = "/aws/cloudtrail/iam_silent"
  retention_in_days = 365
}

resource "aws_cloudtrail" "iam_silent" {
  name                       = "iam_silent"
  s3_bucket_name             = "audit-iam_silent"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.iam_silent_trail.arn}:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::111122223333:role/cloudtrail-to-logs"
}
