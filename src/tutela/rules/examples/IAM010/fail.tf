resource "aws_iam_user" "dr_smith" {
  name = "dr.smith"
}

resource "aws_iam_user_login_profile" "dr_smith" {
  user                    = aws_iam_user.dr_smith.name
  password_reset_required = true
}
