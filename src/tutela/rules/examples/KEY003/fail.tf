# A bucket tagged as holding ePHI, encrypted only with S3-managed keys (SSE-S3).
resource "aws_s3_bucket" "encounter_notes" {
  bucket = "acme-encounter-notes"

  tags = {
    data_classification = "ephi"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "encounter_notes" {
  bucket = aws_s3_bucket.encounter_notes.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}
