# No environment variables at all: nothing to encrypt (not applicable).
resource "aws_lambda_function" "thumbnailer" {
  function_name = "scan-thumbnailer"
  role          = "arn:aws:iam::111122223333:role/scan-thumbnailer"
  runtime       = "python3.12"
  handler       = "app.handler"
  s3_bucket     = "acme-lambda-artifacts"
  s3_key        = "scan-thumbnailer/1.0.0.zip"
}
