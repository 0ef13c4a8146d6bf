# Signed digest files let investigators prove the logs were not altered.
resource "aws_cloudtrail" "compliance" {
  name                       = "compliance"
  s3_bucket_name             = "acme-compliance-trail"
  is_multi_region_trail      = true
  enable_log_file_validation = true
}
