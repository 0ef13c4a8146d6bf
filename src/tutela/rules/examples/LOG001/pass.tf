# An organisation-wide trail that records every region.
resource "aws_cloudtrail" "org_audit" {
  name                          = "org-audit"
  s3_bucket_name                = "acme-org-cloudtrail-logs"
  include_global_service_events = true
  is_multi_region_trail         = true
  is_organization_trail         = true
  enable_log_file_validation    = true
  kms_key_id                    = "arn:aws:kms:us-east-1:111122223333:key/5c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f"
}
