# Audit logs exported to a bucket with a locked one-year retention policy.
resource "google_storage_bucket" "audit_logs" {
  name                        = "acme-audit-logs"
  location                    = "US"
  uniform_bucket_level_access = true

  retention_policy {
    retention_period = 31536000
    is_locked        = true
  }
}

resource "google_logging_project_sink" "audit_to_gcs" {
  name        = "audit-to-gcs"
  destination = "storage.googleapis.com/${google_storage_bucket.audit_logs.name}"
  filter      = "logName:\"cloudaudit.googleapis.com\""
}
