# Token Creator on the whole project: impersonation of every service account.
resource "google_project_iam_member" "ops_token_creator" {
  project = "acme-clinical-prod"
  role    = "roles/iam.serviceAccountTokenCreator"
  member  = "group:ops@acme-health.example"
}
