# Claims export bucket: nothing declares default server-side encryption.
resource "aws_s3_bucket" "claims_exports" {
  bucket = "acme-claims-exports"

  tags = {
    team = "claims"
  }
}

resource "aws_s3_bucket_public_access_block" "claims_exports" {
  bucket                  = aws_s3_bucket.claims_exports.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
