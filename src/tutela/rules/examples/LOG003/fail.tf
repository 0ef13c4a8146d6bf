# Trail logs protected only by the bucket's default S3-managed encryption.
resource "aws_cloudtrail" "ops" {
  name                       = "ops"
  s3_bucket_name             = "acme-ops-trail"
  is_multi_region_trail      = true
  enable_log_file_validation = true
}
