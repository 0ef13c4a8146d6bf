# The key is administered by the account and used by one application role.
variable "account_id" {
  type    = string
  default = "111122223333"
}

data "aws_iam_policy_document" "billing_key" {
  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.account_id}:root"]
    }
  }

  statement {
    sid       = "BillingAppUse"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.account_id}:role/billing-app"]
    }
  }
}

resource "aws_kms_key" "billing" {
  description         = "Billing data"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.billing_key.json
}
