data "aws_iam_policy_document" "ops_admin_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }

    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }
  }
}

resource "aws_iam_role" "ops_admin" {
  name                 = "ops-admin"
  assume_role_policy   = data.aws_iam_policy_document.ops_admin_trust.json
  max_session_duration = 3600
}

resource "aws_iam_role_policy_attachment" "ops_admin" {
  role       = aws_iam_role.ops_admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
