# A timeout sized to the work: 30 seconds.
resource "aws_lambda_function" "member_lookup" {
  function_name = "member-lookup"
  role          = "arn:aws:iam::111122223333:role/member-lookup"
  runtime       = "nodejs20.x"
  handler       = "index.handler"
  s3_bucket     = "acme-lambda-artifacts"
  s3_key        = "member-lookup/1.2.0.zip"
  timeout       = 30
}
