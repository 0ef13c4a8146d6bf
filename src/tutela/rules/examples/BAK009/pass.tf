resource "aws_s3_bucket" "org_audit" {
  bucket              = "org-audit-trail"
  object_lock_enabled = true
}

resource "aws_s3_bucket_object_lock_configuration" "org_audit" {
  bucket = aws_s3_bucket.org_audit.id

  rule {
    default_retention {
      mode = "GOVERNANCE"
      days = 365
    }
  }
}

resource "aws_cloudtrail" "org" {
  name                  = "org"
  s3_bucket_name        = aws_s3_bucket.org_audit.id
  is_multi_region_trail = true
}
