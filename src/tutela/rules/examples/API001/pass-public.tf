resource "aws_api_gateway_rest_api" "status_api" {
  name = "status-api"

  tags = {
    public = "true"
  }
}

resource "aws_api_gateway_resource" "status_api_records" {
  rest_api_id = aws_api_gateway_rest_api.status_api.id
  parent_id   = aws_api_gateway_rest_api.status_api.root_resource_id
  path_part   = "records"
}

resource "aws_api_gateway_method" "status_api_get" {
  rest_api_id = aws_api_gateway_rest_api.status_api.id
  resource_id = aws_api_gateway_resource.status_api_records.id
  http_method = "GET"
  authorization = "NONE"
}
