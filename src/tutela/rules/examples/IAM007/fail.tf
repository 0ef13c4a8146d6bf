resource "aws_iam_group" "platform_admins" {
  name = "platform-admins"
}

resource "aws_iam_policy" "platform_admin" {
  name = "platform-admin"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }]
  })
}

resource "aws_iam_group_policy_attachment" "platform_admins" {
  group      = aws_iam_group.platform_admins.name
  policy_arn = aws_iam_policy.platform_admin.arn
}
