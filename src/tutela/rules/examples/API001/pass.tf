resource "aws_api_gateway_rest_api" "records_api" {
  name = "records-api"
}

resource "aws_api_gateway_resource" "records_api_records" {
  rest_api_id = aws_api_gateway_rest_api.records_api.id
  parent_id   = aws_api_gateway_rest_api.records_api.root_resource_id
  path_part   = "records"
}

resource "aws_api_gateway_method" "records_api_get" {
  rest_api_id = aws_api_gateway_rest_api.records_api.id
  resource_id = aws_api_gateway_resource.records_api_records.id
  http_method = "GET"
  authorization = "COGNITO_USER_POOLS"
  authorizer_id = aws_api_gateway_authorizer.records_users.id
}
resource "aws_api_gateway_authorizer" "records_users" {
  name          = "records-users"
  rest_api_id   = aws_api_gateway_rest_api.records_api.id
  type          = "COGNITO_USER_POOLS"
  provider_arns = ["arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_Example"]
}
