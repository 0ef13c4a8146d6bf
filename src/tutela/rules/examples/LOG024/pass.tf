resource "aws_cloudwatch_log_group" "sg_watch_trail" {
  name              = "/aws/cloudtrail/sg_watch"
  retention_in_days = 365
}

resource "aws_cloudtrail" "sg_watch" {
  name                       = "sg_watch"
  s3_bucket_name             = "audit-sg_watch"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.sg_watch_trail.arn}:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::111122223333:role/cloudtrail-to-logs"
}

resource "aws_sns_topic" "sg_watch_alerts" {
  name              = "sg_watch-security-alerts"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_cloudwatch_log_metric_filter" "sg_watch" {
  name           = "sg_watch-detector"
  log_group_name = aws_cloudwatch_log_group.sg_watch_trail.name
  pattern        = "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }"

  metric_transformation {
    name      = "sg_watch-events"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "sg_watch" {
  alarm_name          = "sg_watch-events"
  metric_name         = "sg_watch-events"
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.sg_watch_alerts.arn]
}
