resource "aws_iam_group" "break_glass" {
  name = "break-glass-admins"
}

data "aws_iam_policy_document" "break_glass" {
  statement {
    sid       = "AdministerWithMfa"
    actions   = ["*"]
    resources = ["*"]

    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }
  }
}

resource "aws_iam_group_policy" "break_glass" {
  name   = "administer-with-mfa"
  group  = aws_iam_group.break_glass.name
  policy = data.aws_iam_policy_document.break_glass.json
}
