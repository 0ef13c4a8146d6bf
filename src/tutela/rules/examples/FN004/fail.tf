resource "aws_lambda_function" "legacy_export" {
  function_name = "legacy-export"
  role          = "arn:aws:iam::111122223333:role/legacy-export"
  runtime       = "python3.7"
  handler       = "app.handler"
  filename      = "legacy_export.zip"
}
