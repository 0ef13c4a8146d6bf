resource "aws_api_gateway_rest_api" "claims_api" {
  name = "claims-api"
}

resource "aws_api_gateway_deployment" "claims_api" {
  rest_api_id = aws_api_gateway_rest_api.claims_api.id
}

resource "aws_api_gateway_stage" "claims_prod" {
  rest_api_id   = aws_api_gateway_rest_api.claims_api.id
  deployment_id = aws_api_gateway_deployment.claims_api.id
  stage_name    = "prod"
  xray_tracing_enabled = false
}
