# Environment variables encrypted with a customer-managed key.
resource "aws_kms_key" "lambda_env" {
  description         = "Lambda environment variables"
  enable_key_rotation = true
}

resource "aws_lambda_function" "care_gaps" {
  function_name = "care-gaps"
  role          = "arn:aws:iam::111122223333:role/care-gaps"
  runtime       = "python3.12"
  handler       = "app.handler"
  s3_bucket     = "acme-lambda-artifacts"
  s3_key        = "care-gaps/2.3.0.zip"
  kms_key_arn   = aws_kms_key.lambda_env.arn

  environment {
    variables = {
      MEASURES_TABLE = "care-gap-measures"
    }
  }
}
