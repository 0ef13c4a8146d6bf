resource "aws_cloudtrail" "platform" {
  name                          = "platform"
  s3_bucket_name                = "audit-platform"
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
}
