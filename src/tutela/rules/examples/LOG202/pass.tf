resource "google_logging_project_bucket_config" "default" {
  project        = "acme-clinical-prod"
  location       = "us"
  bucket_id      = "_Default"
  retention_days = 400
}
