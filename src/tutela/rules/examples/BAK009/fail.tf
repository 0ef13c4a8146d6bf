resource "aws_s3_bucket" "platform_audit" {
  bucket = "platform-audit-trail"
}

resource "aws_cloudtrail" "platform" {
  name                  = "platform"
  s3_bucket_name        = aws_s3_bucket.platform_audit.id
  is_multi_region_trail = true
}
