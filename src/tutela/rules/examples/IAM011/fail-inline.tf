resource "aws_iam_role" "claims_sync" {
  name               = "claims-sync"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })

  inline_policy {
    name = "claims-sync"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "dynamodb:*", Resource = "*" }]
    })
  }
}

resource "aws_lambda_function" "claims_sync" {
  function_name = "claims-sync"
  role          = aws_iam_role.claims_sync.arn
  runtime       = "nodejs20.x"
  handler       = "index.handler"
  filename      = "claims_sync.zip"
}
