# No tracing_config: X-Ray active tracing is off.
resource "aws_lambda_function" "eob_renderer" {
  function_name = "eob-renderer"
  role          = "arn:aws:iam::111122223333:role/eob-renderer"
  runtime       = "java21"
  handler       = "com.acme.eob.Handler::handleRequest"
  s3_bucket     = "acme-lambda-artifacts"
  s3_key        = "eob-renderer/4.2.0.jar"
  memory_size   = 1024
  timeout       = 120
}
