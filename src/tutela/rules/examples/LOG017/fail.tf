resource "aws_cloudwatch_log_metric_filter" "trail_changes" {
  name           = "trail-changes"
  log_group_name = "/aws/cloudtrail/platform"
  pattern        = "{ ($.eventName = StopLogging) || ($.eventName = DeleteTrail) }"

  metric_transformation {
    name      = "TrailChanges"
    namespace = "Security"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "trail_changes" {
  alarm_name          = "trail-changes"
  metric_name         = "TrailChanges"
  namespace           = "Security"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
}
