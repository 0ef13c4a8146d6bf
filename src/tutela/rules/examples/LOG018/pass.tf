resource "aws_cloudwatch_log_group" "unauthorized_watch_trail" {
  name              = "/aws/cloudtrail/unauthorized_watch"
  retention_in_days = 365
}

resource "aws_cloudtrail" "unauthorized_watch" {
  name                       = "unauthorized_watch"
  s3_bucket_name             = "audit-unauthorized_watch"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.unauthorized_watch_trail.arn}:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::111122223333:role/cloudtrail-to-logs"
}

resource "aws_sns_topic" "unauthorized_watch_alerts" {
  name              = "unauthorized_watch-security-alerts"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_cloudwatch_log_metric_filter" "unauthorized_watch" {
  name           = "unauthorized_watch-detector"
  log_group_name = aws_cloudwatch_log_group.unauthorized_watch_trail.name
  pattern        = "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }"

  metric_transformation {
    name      = "unauthorized_watch-events"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "unauthorized_watch" {
  alarm_name          = "unauthorized_watch-events"
  metric_name         = "unauthorized_watch-events"
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.unauthorized_watch_alerts.arn]
}
