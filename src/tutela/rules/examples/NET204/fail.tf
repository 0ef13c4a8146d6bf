# A bucket published to everyone through a separate IAM member resource.
resource "google_storage_bucket" "patient_exports" {
  name                        = "acme-patient-exports"
  location                    = "US"
  uniform_bucket_level_access = true
}

resource "google_storage_bucket_iam_member" "public_read" {
  bucket = google_storage_bucket.patient_exports.name
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}
