resource "aws_api_gateway_rest_api" "claims_api" {
  name = "claims-api"
}

resource "aws_api_gateway_resource" "claims_api_records" {
  rest_api_id = aws_api_gateway_rest_api.claims_api.id
  parent_id   = aws_api_gateway_rest_api.claims_api.root_resource_id
  path_part   = "records"
}

resource "aws_api_gateway_method" "claims_api_get" {
  rest_api_id = aws_api_gateway_rest_api.claims_api.id
  resource_id = aws_api_gateway_resource.claims_api_records.id
  http_method = "GET"
  authorization    = "NONE"
  api_key_required = true
}
