# A trail that records only the region it is created in.
resource "aws_cloudtrail" "audit" {
  name                          = "audit"
  s3_bucket_name                = "acme-cloudtrail-logs"
  include_global_service_events = true
  enable_log_file_validation    = true
  is_multi_region_trail         = false
}
