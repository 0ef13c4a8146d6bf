# The 30-day default.
resource "google_logging_project_bucket_config" "app_logs" {
  project   = "acme-clinical-prod"
  location  = "us"
  bucket_id = "app-logs"
}
