# The sink's bucket can be emptied by any storage admin.
resource "google_storage_bucket" "security_logs" {
  name                        = "acme-security-logs"
  location                    = "US"
  uniform_bucket_level_access = true

  retention_policy {
    retention_period = 31536000
  }
}

resource "google_logging_project_sink" "security_to_gcs" {
  name        = "security-to-gcs"
  destination = "storage.googleapis.com/${google_storage_bucket.security_logs.name}"
}
