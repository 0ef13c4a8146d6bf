resource "aws_api_gateway_rest_api" "claims" {
  name = "${var.name}-api"

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_resource" "claims" {
  rest_api_id = aws_api_gateway_rest_api.claims.id
  parent_id   = aws_api_gateway_rest_api.claims.root_resource_id
  path_part   = "claims"
}

resource "aws_api_gateway_authorizer" "members" {
  name          = "members"
  rest_api_id   = aws_api_gateway_rest_api.claims.id
  type          = "COGNITO_USER_POOLS"
  provider_arns = ["arn:aws:cognito-idp:${var.region}:${data.aws_caller_identity.current.account_id}:userpool/${var.region}_Members"]
}

resource "aws_api_gateway_method" "claims" {
  for_each = toset(["GET", "POST"])

  rest_api_id   = aws_api_gateway_rest_api.claims.id
  resource_id   = aws_api_gateway_resource.claims.id
  http_method   = each.key
  authorization = "COGNITO_USER_POOLS"
  authorizer_id = aws_api_gateway_authorizer.members.id
}

# CORS preflight needs no authorizer.
resource "aws_api_gateway_method" "claims_options" {
  rest_api_id   = aws_api_gateway_rest_api.claims.id
  resource_id   = aws_api_gateway_resource.claims.id
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_api_gateway_deployment" "claims" {
  rest_api_id = aws_api_gateway_rest_api.claims.id

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "api_access" {
  name              = "/aws/apigateway/${var.name}-api"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this["logs"].arn
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id          = aws_api_gateway_rest_api.claims.id
  deployment_id        = aws_api_gateway_deployment.claims.id
  stage_name           = "prod"
  xray_tracing_enabled = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api_access.arn
    format = jsonencode({
      requestId = "$context.requestId"
      ip        = "$context.identity.sourceIp"
      status    = "$context.status"
    })
  }
}

resource "aws_api_gateway_usage_plan" "members" {
  name = "${var.name}-members"

  api_stages {
    api_id = aws_api_gateway_rest_api.claims.id
    stage  = aws_api_gateway_stage.prod.stage_name
  }

  throttle_settings {
    rate_limit  = 50
    burst_limit = 100
  }
}

resource "aws_wafv2_web_acl_association" "prod" {
  resource_arn = aws_api_gateway_stage.prod.arn
  web_acl_arn  = "arn:aws:wafv2:${var.region}:${data.aws_caller_identity.current.account_id}:regional/webacl/${var.name}-api/00000000-0000-0000-0000-000000000000"
}
