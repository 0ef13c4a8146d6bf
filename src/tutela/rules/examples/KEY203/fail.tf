# Any Google account may decrypt with this key.
resource "google_kms_crypto_key" "shared_exports" {
  name            = "shared-exports"
  key_ring        = "projects/acme-clinical-prod/locations/us/keyRings/exports"
  rotation_period = "7776000s"
}

resource "google_kms_crypto_key_iam_binding" "decrypters" {
  crypto_key_id = google_kms_crypto_key.shared_exports.id
  role          = "roles/cloudkms.cryptoKeyDecrypter"
  members = [
    "group:exports@acme-health.example",
    "allAuthenticatedUsers",
  ]
}
