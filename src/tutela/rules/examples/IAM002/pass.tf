# The user gets permissions only through the group it belongs to.
resource "aws_iam_group" "analysts" {
  name = "analysts"
}

resource "aws_iam_group_policy_attachment" "analysts_read_only" {
  group      = aws_iam_group.analysts.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_user" "asmith" {
  name = "asmith"
  path = "/staff/"
}

resource "aws_iam_user_group_membership" "asmith" {
  user   = aws_iam_user.asmith.name
  groups = [aws_iam_group.analysts.name]
}
