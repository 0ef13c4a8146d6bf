# Narrow predefined roles for the workload; Owner kept for a break-glass group.
variable "project_id" {
  type    = string
  default = "acme-clinical-prod"
}

resource "google_service_account" "scheduler" {
  account_id = "scheduler"
}

resource "google_project_iam_member" "scheduler_sql" {
  project = var.project_id
  role    = "roles/cloudsql.client"
  member  = "serviceAccount:${google_service_account.scheduler.email}"
}

resource "google_project_iam_binding" "owners" {
  project = var.project_id
  role    = "roles/owner"
  members = ["group:platform-breakglass@acme-health.example"]
}
