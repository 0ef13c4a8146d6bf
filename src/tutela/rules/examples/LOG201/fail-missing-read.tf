resource "google_project_iam_audit_config" "writes_only" {
  project = "acme-research"
  service = "allServices"

  audit_log_config {
    log_type = "DATA_WRITE"
  }
}
