resource "aws_cloudtrail" "organization" {
  name                          = "organization"
  s3_bucket_name                = "audit-logs-organization"
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true

  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }

}
