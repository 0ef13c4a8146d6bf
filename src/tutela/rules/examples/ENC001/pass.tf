# Claims archive bucket encrypted with SSE-KMS under a customer-managed key
# (provider v5 style: the encryption lives in its own resource).
resource "aws_kms_key" "claims_archive" {
  description             = "Claims archive bucket key"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_s3_bucket" "claims_archive" {
  bucket = "acme-claims-archive"

  tags = {
    team = "claims"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "claims_archive" {
  bucket = aws_s3_bucket.claims_archive.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.claims_archive.arn
    }
    bucket_key_enabled = true
  }
}
