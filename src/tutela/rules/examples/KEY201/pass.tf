resource "google_kms_key_ring" "clinical" {
  name     = "clinical"
  location = "us-east4"
}

resource "google_kms_crypto_key" "records" {
  name            = "records"
  key_ring        = google_kms_key_ring.clinical.id
  rotation_period = "7776000s" # 90 days
}

# Signing keys cannot rotate automatically: not applicable.
resource "google_kms_crypto_key" "document_signing" {
  name     = "document-signing"
  key_ring = google_kms_key_ring.clinical.id
  purpose  = "ASYMMETRIC_SIGN"

  version_template {
    algorithm = "EC_SIGN_P256_SHA256"
  }
}
