resource "aws_apigatewayv2_api" "portal" {
  name          = "portal"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_stage" "portal_default" {
  api_id      = aws_apigatewayv2_api.portal.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_rate_limit  = 200
    throttling_burst_limit = 100
  }
}
