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
  xray_tracing_enabled = true
}
