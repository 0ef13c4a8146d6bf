# A webhook handler left at the platform maximum of 15 minutes.
resource "aws_lambda_function" "payer_webhook" {
  function_name = "payer-webhook"
  role          = "arn:aws:iam::111122223333:role/payer-webhook"
  runtime       = "nodejs20.x"
  handler       = "index.handler"
  s3_bucket     = "acme-lambda-artifacts"
  s3_key        = "payer-webhook/3.0.1.zip"
  timeout       = 900
}
