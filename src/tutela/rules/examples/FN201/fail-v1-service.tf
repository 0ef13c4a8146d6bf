# A Cloud Run (v1) service opened with an authoritative IAM policy.
resource "google_cloud_run_service" "records_export" {
  name     = "records-export"
  location = "us-east4"

  template {
    spec {
      containers {
        image = "us-east4-docker.pkg.dev/acme-clinical-prod/apps/records-export:1.0.3"
      }
    }
  }
}

data "google_iam_policy" "noauth" {
  binding {
    role    = "roles/run.invoker"
    members = ["allUsers"]
  }
}

resource "google_cloud_run_service_iam_policy" "noauth" {
  location    = google_cloud_run_service.records_export.location
  service     = google_cloud_run_service.records_export.name
  policy_data = data.google_iam_policy.noauth.policy_data
}
