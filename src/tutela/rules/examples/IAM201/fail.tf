# Editor for a CI service account, Owner for an individual.
resource "google_service_account" "ci" {
  account_id = "ci-deployer"
}

resource "google_project_iam_member" "ci_editor" {
  project = "acme-clinical-prod"
  role    = "roles/editor"
  member  = "serviceAccount:${google_service_account.ci.email}"
}

resource "google_project_iam_member" "cto_owner" {
  project = "acme-clinical-prod"
  role    = "roles/owner"
  member  = "user:cto@acme-health.example"
}
