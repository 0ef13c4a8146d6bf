resource "aws_iam_policy" "pipeline" {
  name = "pipeline"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "DeployFunctions"
      Effect   = "Allow"
      Action   = ["lambda:CreateFunction", "lambda:UpdateFunctionCode", "iam:PassRole"]
      Resource = "*"
    }]
  })
}
