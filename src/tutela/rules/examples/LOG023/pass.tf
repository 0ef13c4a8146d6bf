resource "aws_cloudwatch_log_group" "kms_watch_trail" {
  name              = "/aws/cloudtrail/kms_watch"
  retention_in_days = 365
}

resource "aws_cloudtrail" "kms_watch" {
  name                       = "kms_watch"
  s3_bucket_name             = "audit-kms_watch"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.kms_watch_trail.arn}:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::111122223333:role/cloudtrail-to-logs"
}

resource "aws_sns_topic" "kms_watch_alerts" {
  name              = "kms_watch-security-alerts"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_cloudwatch_log_metric_filter" "kms_watch" {
  name           = "kms_watch-detector"
  log_group_name = aws_cloudwatch_log_group.kms_watch_trail.name
  pattern        = "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }"

  metric_transformation {
    name      = "kms_watch-events"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "kms_watch" {
  alarm_name          = "kms_watch-events"
  metric_name         = "kms_watch-events"
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.kms_watch_alerts.arn]
}
