# Rotation once a year.
resource "google_kms_crypto_key" "archive" {
  name            = "archive"
  key_ring        = "projects/acme-clinical-prod/locations/us/keyRings/archive"
  rotation_period = "31536000s"
}
