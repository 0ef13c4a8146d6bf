# SSE-KMS, but with the AWS-managed aws/s3 key that the organisation cannot control.
resource "aws_s3_bucket" "prior_auth" {
  bucket = "acme-prior-authorizations"

  tags = {
    DataClassification = "PHI"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "prior_auth" {
  bucket = aws_s3_bucket.prior_auth.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "alias/aws/s3"
    }
  }
}
