resource "aws_apigatewayv2_api" "portal" {
  name          = "portal"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_route" "portal_records" {
  api_id    = aws_apigatewayv2_api.portal.id
  route_key = "GET /records/{id}"
}
