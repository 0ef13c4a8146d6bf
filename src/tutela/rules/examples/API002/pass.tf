resource "aws_api_gateway_rest_api" "records_api" {
  name = "records-api"
}

resource "aws_api_gateway_deployment" "records_api" {
  rest_api_id = aws_api_gateway_rest_api.records_api.id
}

resource "aws_api_gateway_stage" "records_prod" {
  rest_api_id   = aws_api_gateway_rest_api.records_api.id
  deployment_id = aws_api_gateway_deployment.records_api.id
  stage_name    = "prod"

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.records_api_access.arn
    format          = jsonencode({ requestId = "$context.requestId", ip = "$context.identity.sourceIp" })
  }
}
resource "aws_cloudwatch_log_group" "records_api_access" {
  name              = "/aws/apigateway/records-api/access"
  retention_in_days = 365
}
