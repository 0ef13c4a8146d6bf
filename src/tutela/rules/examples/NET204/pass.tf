# Readers are named service accounts; uniform access disables ACLs.
resource "google_storage_bucket" "lab_results" {
  name                        = "acme-lab-results"
  location                    = "US"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
}

resource "google_service_account" "results_api" {
  account_id = "results-api"
}

resource "google_storage_bucket_iam_member" "results_api_reader" {
  bucket = google_storage_bucket.lab_results.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.results_api.email}"
}
