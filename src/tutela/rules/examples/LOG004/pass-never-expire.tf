# No retention set: CloudWatch keeps the logs forever.
resource "aws_cloudwatch_log_group" "audit_events" {
  name = "/acme/audit-events"
}
