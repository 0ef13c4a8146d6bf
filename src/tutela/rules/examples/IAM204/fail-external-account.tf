# A key for a service account defined in another configuration.
resource "google_service_account_key" "legacy_etl" {
  service_account_id = "projects/acme-clinical-prod/serviceAccounts/legacy-etl@acme-clinical-prod.iam.gserviceaccount.com"
}
