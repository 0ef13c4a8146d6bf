# Access logs go to a dedicated bucket; the log bucket itself is exempt.
resource "aws_s3_bucket" "access_logs" {
  bucket = "acme-s3-access-logs"
}

resource "aws_s3_bucket" "radiology" {
  bucket = "acme-radiology-reports"
}

resource "aws_s3_bucket_logging" "radiology" {
  bucket        = aws_s3_bucket.radiology.id
  target_bucket = aws_s3_bucket.access_logs.id
  target_prefix = "radiology/"
}
