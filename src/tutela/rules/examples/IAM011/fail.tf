resource "aws_iam_role" "report_builder" {
  name               = "report-builder"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "report_builder_s3" {
  role       = aws_iam_role.report_builder.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
}

resource "aws_lambda_function" "report_builder" {
  function_name = "report-builder"
  role          = aws_iam_role.report_builder.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "report_builder.zip"
}
