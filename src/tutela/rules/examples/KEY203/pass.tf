resource "google_kms_crypto_key" "lab_data" {
  name            = "lab-data"
  key_ring        = "projects/acme-clinical-prod/locations/us/keyRings/lab"
  rotation_period = "7776000s"
}

resource "google_kms_crypto_key_iam_member" "gcs_agent" {
  crypto_key_id = google_kms_crypto_key.lab_data.id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = "serviceAccount:service-123456789012@gs-project-accounts.iam.gserviceaccount.com"
}
