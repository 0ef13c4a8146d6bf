# A "deployer" policy that grants every action on every resource.
resource "aws_iam_policy" "deployer" {
  name        = "deployer"
  description = "Used by the release pipeline"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Everything"
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
    ]
  })
}
