resource "aws_cloudwatch_log_group" "nomfa_watch_trail" {
  name              = "/aws/cloudtrail/nomfa_watch"
  retention_in_days = 365
}

resource "aws_cloudtrail" "nomfa_watch" {
  name                       = "nomfa_watch"
  s3_bucket_name             = "audit-nomfa_watch"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.nomfa_watch_trail.arn}:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::111122223333:role/cloudtrail-to-logs"
}

resource "aws_sns_topic" "nomfa_watch_alerts" {
  name              = "nomfa_watch-security-alerts"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_cloudwatch_log_metric_filter" "nomfa_watch" {
  name           = "nomfa_watch-detector"
  log_group_name = aws_cloudwatch_log_group.nomfa_watch_trail.name
  pattern        = "{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") }"

  metric_transformation {
    name      = "nomfa_watch-events"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "nomfa_watch" {
  alarm_name          = "nomfa_watch-events"
  metric_name         = "nomfa_watch-events"
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.nomfa_watch_alerts.arn]
}
