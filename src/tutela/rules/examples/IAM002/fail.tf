# Permissions attached straight to a person's IAM user.
resource "aws_iam_user" "jdoe" {
  name = "jdoe"
  path = "/staff/"
}

resource "aws_iam_user_policy_attachment" "jdoe_billing" {
  user       = aws_iam_user.jdoe.name
  policy_arn = "arn:aws:iam::aws:policy/job-function/Billing"
}
