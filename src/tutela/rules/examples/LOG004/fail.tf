# Application logs deleted after 30 days, well under the one-year minimum.
resource "aws_cloudwatch_log_group" "claims_api" {
  name              = "/ecs/claims-api"
  retention_in_days = 30
}
