resource "google_kms_crypto_key" "imaging" {
  name            = "imaging"
  key_ring        = "projects/acme-clinical-prod/locations/us/keyRings/clinical"
  rotation_period = "7776000s"
}

resource "google_storage_bucket" "imaging" {
  name                        = "acme-imaging"
  location                    = "US"
  uniform_bucket_level_access = true

  encryption {
    default_kms_key_name = google_kms_crypto_key.imaging.id
  }

  labels = {
    data_classification = "ephi"
  }
}

# Not labelled as ePHI: not applicable.
resource "google_storage_bucket" "static_site" {
  name                        = "acme-static-site"
  location                    = "US"
  uniform_bucket_level_access = true
}
