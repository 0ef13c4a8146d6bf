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
}
resource "aws_wafv2_web_acl_association" "records_prod" {
  resource_arn = aws_api_gateway_stage.records_prod.arn
  web_acl_arn  = "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/api-protection/0a1b2c3d"
}
