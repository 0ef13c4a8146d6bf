# Active tracing records every invocation and its downstream calls.
resource "aws_lambda_function" "claim_intake" {
  function_name = "claim-intake"
  role          = "arn:aws:iam::111122223333:role/claim-intake"
  runtime       = "python3.12"
  handler       = "app.handler"
  s3_bucket     = "acme-lambda-artifacts"
  s3_key        = "claim-intake/1.0.4.zip"
  timeout       = 30

  tracing_config {
    mode = "Active"
  }
}
