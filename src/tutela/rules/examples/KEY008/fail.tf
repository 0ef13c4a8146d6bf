resource "aws_cloudtrail" "platform" {
  name                          = "platform"
  s3_bucket_name                = "audit-logs-platform"
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true

  # Saves cost, and erases the record of every Decrypt and ScheduleKeyDeletion.
  event_selector {
    read_write_type                  = "All"
    include_management_events        = true
    exclude_management_event_sources = ["kms.amazonaws.com"]
  }

}
