# Data reads are not recorded, and the ETL account is exempted from writes.
resource "google_project_iam_audit_config" "partial" {
  project = "acme-analytics"
  service = "allServices"

  audit_log_config {
    log_type = "ADMIN_READ"
  }

  audit_log_config {
    log_type         = "DATA_WRITE"
    exempted_members = ["serviceAccount:etl@acme-analytics.iam.gserviceaccount.com"]
  }
}
