# The bucket policy denies every request that does not use TLS.
resource "aws_s3_bucket" "referrals" {
  bucket = "acme-referrals"
}

data "aws_iam_policy_document" "referrals_tls_only" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.referrals.arn, "${aws_s3_bucket.referrals.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "referrals" {
  bucket = aws_s3_bucket.referrals.id
  policy = data.aws_iam_policy_document.referrals_tls_only.json
}
