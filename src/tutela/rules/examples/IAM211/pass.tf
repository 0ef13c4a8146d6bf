resource "google_storage_bucket" "consent_forms" {
  name                        = "acme-consent-forms"
  location                    = "US"
  uniform_bucket_level_access = true
}
