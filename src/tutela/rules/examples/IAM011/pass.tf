resource "aws_iam_role" "intake_parser" {
  name               = "intake-parser"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

data "aws_iam_policy_document" "intake_parser" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::intake-uploads/*"]
  }

  statement {
    actions   = ["dynamodb:PutItem"]
    resources = ["arn:aws:dynamodb:us-east-1:111122223333:table/intake"]
  }
}

resource "aws_iam_role_policy" "intake_parser" {
  name   = "intake-parser"
  role   = aws_iam_role.intake_parser.id
  policy = data.aws_iam_policy_document.intake_parser.json
}

resource "aws_lambda_function" "intake_parser" {
  function_name = "intake-parser"
  role          = aws_iam_role.intake_parser.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "intake_parser.zip"
}
