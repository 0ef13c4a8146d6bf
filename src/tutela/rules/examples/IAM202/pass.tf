# The deployer may act as one specific service account only.
resource "google_service_account" "api_runtime" {
  account_id = "api-runtime"
}

resource "google_service_account" "deployer" {
  account_id = "deployer"
}

resource "google_service_account_iam_member" "deployer_acts_as_runtime" {
  service_account_id = google_service_account.api_runtime.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_project_iam_member" "deployer_run_admin" {
  project = "acme-clinical-prod"
  role    = "roles/run.developer"
  member  = "serviceAccount:${google_service_account.deployer.email}"
}
