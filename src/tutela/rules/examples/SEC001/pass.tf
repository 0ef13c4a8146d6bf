# The function gets the ARN of a Secrets Manager secret and reads it at start-up.
resource "aws_secretsmanager_secret" "eligibility_db" {
  name = "eligibility/db"
}

resource "aws_lambda_function" "eligibility_sync" {
  function_name = "eligibility-sync"
  role          = "arn:aws:iam::111122223333:role/eligibility-sync"
  runtime       = "python3.12"
  handler       = "app.handler"
  s3_bucket     = "acme-lambda-artifacts"
  s3_key        = "eligibility-sync/2.1.0.zip"
  timeout       = 60

  environment {
    variables = {
      DB_HOST                = "eligibility.cluster-c9akcd3j2xyz.us-east-1.rds.amazonaws.com"
      DB_USER                = "eligibility_sync"
      DB_PASSWORD_SECRET_ARN = aws_secretsmanager_secret.eligibility_db.arn
      LOG_LEVEL              = "info"
    }
  }
}
