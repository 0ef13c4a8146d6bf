resource "aws_lambda_function" "intake_parser" {
  function_name = "intake-parser"
  role          = "arn:aws:iam::111122223333:role/intake-parser"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "intake_parser.zip"
}
