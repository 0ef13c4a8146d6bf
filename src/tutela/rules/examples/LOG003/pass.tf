# Trail logs encrypted with a customer-managed key whose use is itself logged.
resource "aws_kms_key" "audit_logs" {
  description         = "CloudTrail log files"
  enable_key_rotation = true
}

resource "aws_cloudtrail" "audit_encrypted" {
  name                       = "audit-encrypted"
  s3_bucket_name             = "acme-audit-encrypted-trail"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  kms_key_id                 = aws_kms_key.audit_logs.arn
}
