# No digest files: tampering with delivered log files would go unnoticed.
resource "aws_cloudtrail" "security" {
  name                  = "security"
  s3_bucket_name        = "acme-security-trail"
  is_multi_region_trail = true
}
