locals {
  key_purposes = toset(["documents", "logs", "data", "backup", "messaging"])
}

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "key" {
  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  # Services in this organization only: a wildcard principal, narrowed by a condition.
  statement {
    sid       = "OrganizationServices"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-a1b2c3d4e5"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
  }
}

resource "aws_kms_key" "this" {
  for_each = local.key_purposes

  description             = "${var.name} ${each.key}"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  multi_region            = true
  policy                  = data.aws_iam_policy_document.key.json
}

resource "aws_kms_replica_key" "dr" {
  for_each = local.key_purposes
  provider = aws.dr

  primary_key_arn         = aws_kms_key.this[each.key].arn
  deletion_window_in_days = 30
}
