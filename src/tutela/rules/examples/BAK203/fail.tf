resource "google_storage_bucket" "uploads" {
  name                        = "acme-patient-uploads"
  location                    = "US"
  uniform_bucket_level_access = true

  versioning {
    enabled = false
  }
}
