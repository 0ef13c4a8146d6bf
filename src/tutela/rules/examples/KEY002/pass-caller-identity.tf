# The same key policy with the account id looked up at plan time.
data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "claims_key" {
  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid       = "ClaimsAppUse"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/claims-app"]
    }
  }
}

resource "aws_kms_key" "claims" {
  description         = "Claims data"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.claims_key.json
}
