# A partner role trusted by one named account and an external id.
variable "partner_account_id" {
  type    = string
  default = "444455556666"
}

data "aws_iam_policy_document" "partner_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.partner_account_id}:root"]
    }

    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = ["acme-claims-7f3c"]
    }
  }
}

resource "aws_iam_role" "partner_reports" {
  name               = "partner-reports"
  assume_role_policy = data.aws_iam_policy_document.partner_trust.json
}
