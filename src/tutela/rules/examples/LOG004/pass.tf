# Logs kept for 400 days.
resource "aws_cloudwatch_log_group" "members_api" {
  name              = "/ecs/members-api"
  retention_in_days = 400
}
