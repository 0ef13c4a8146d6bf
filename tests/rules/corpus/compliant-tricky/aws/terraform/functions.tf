locals {
  functions = {
    intake = { handler = "intake.handler", timeout = 30, tables = [aws_dynamodb_table.claims.arn] }
    notify = { handler = "notify.handler", timeout = 10, tables = [] }
  }
}

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  for_each = local.functions

  name               = "${var.name}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

# Statements built per function, some only when the function uses a table.
data "aws_iam_policy_document" "function" {
  for_each = local.functions

  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:${var.region}:${data.aws_caller_identity.current.account_id}:log-group:/aws/lambda/${var.name}-${each.key}:*"]
  }

  dynamic "statement" {
    for_each = length(each.value.tables) > 0 ? [1] : []
    content {
      sid       = "Claims"
      actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]
      resources = each.value.tables
    }
  }

  statement {
    sid       = "Queue"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.claim_events.arn]
  }

  statement {
    sid       = "Keys"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.this["data"].arn, aws_kms_key.this["messaging"].arn]
  }
}

resource "aws_iam_role_policy" "function" {
  for_each = local.functions

  name   = "${var.name}-${each.key}"
  role   = aws_iam_role.function[each.key].id
  policy = data.aws_iam_policy_document.function[each.key].json
}

resource "aws_signer_signing_profile" "release" {
  platform_id = "AWSLambda-SHA384-ECDSA"
}

resource "aws_lambda_code_signing_config" "release" {
  allowed_publishers {
    signing_profile_version_arns = [aws_signer_signing_profile.release.version_arn]
  }

  policies {
    untrusted_artifact_on_deployment = "Enforce"
  }
}

resource "aws_sqs_queue" "dead_letters" {
  name              = "${var.name}-dead-letters"
  kms_master_key_id = aws_kms_key.this["messaging"].arn
}

resource "aws_lambda_function" "this" {
  for_each = local.functions

  function_name                  = "${var.name}-${each.key}"
  role                           = aws_iam_role.function[each.key].arn
  runtime                        = "python3.12"
  handler                        = each.value.handler
  s3_bucket                      = "claims-artifacts"
  s3_key                         = "${each.key}.zip"
  timeout                        = each.value.timeout
  reserved_concurrent_executions = 10
  code_signing_config_arn        = aws_lambda_code_signing_config.release.arn
  kms_key_arn                    = aws_kms_key.this["data"].arn

  environment {
    variables = {
      TABLE_NAME      = aws_dynamodb_table.claims.name
      DB_SECRET_ARN   = aws_rds_cluster.claims.master_user_secret[0].secret_arn
      PASSWORD_LENGTH = "32"
    }
  }

  tracing_config {
    mode = "Active"
  }

  dead_letter_config {
    target_arn = aws_sqs_queue.dead_letters.arn
  }
}

resource "aws_lambda_permission" "api" {
  for_each = local.functions

  statement_id  = "AllowApiGateway"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this[each.key].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.claims.execution_arn}/*/*"
}

resource "aws_cloudwatch_log_group" "functions" {
  for_each = local.functions

  name              = "/aws/lambda/${var.name}-${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this["logs"].arn
}
