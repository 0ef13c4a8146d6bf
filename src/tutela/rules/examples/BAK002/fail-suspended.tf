# Versioning declared, but suspended.
resource "aws_s3_bucket" "fax_inbox" {
  bucket = "acme-fax-inbox"
}

resource "aws_s3_bucket_versioning" "fax_inbox" {
  bucket = aws_s3_bucket.fax_inbox.id

  versioning_configuration {
    status = "Suspended"
  }
}
