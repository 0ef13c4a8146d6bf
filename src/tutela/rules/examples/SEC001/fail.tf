# A function that receives its database password in plain text.
resource "aws_lambda_function" "claims_sync" {
  function_name = "claims-sync"
  role          = "arn:aws:iam::111122223333:role/claims-sync"
  runtime       = "python3.12"
  handler       = "app.handler"
  s3_bucket     = "acme-lambda-artifacts"
  s3_key        = "claims-sync/1.8.0.zip"
  timeout       = 60

  environment {
    variables = {
      DB_HOST     = "claims.cluster-c9akcd3j2xyz.us-east-1.rds.amazonaws.com"
      DB_USER     = "claims_sync"
      DB_PASSWORD = "Sup3r-Secret-Claims-2024"
    }
  }
}
