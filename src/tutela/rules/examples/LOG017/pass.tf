resource "aws_cloudwatch_log_metric_filter" "root_usage" {
  name           = "root-usage"
  log_group_name = "/aws/cloudtrail/org"
  pattern        = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS }"

  metric_transformation {
    name      = "RootUsage"
    namespace = "Security"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "root_usage" {
  alarm_name          = "root-usage"
  metric_name         = "RootUsage"
  namespace           = "Security"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = ["arn:aws:sns:us-east-1:111122223333:security-alerts"]
}
