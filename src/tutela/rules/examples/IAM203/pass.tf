# A secret readable by the application's service account only.
resource "google_secret_manager_secret_iam_member" "app_reads_db_password" {
  project   = "acme-clinical-prod"
  secret_id = "projects/acme-clinical-prod/secrets/db-password"
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:app@acme-clinical-prod.iam.gserviceaccount.com"
}
