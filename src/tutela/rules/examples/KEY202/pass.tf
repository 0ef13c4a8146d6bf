# The high-value key lives in Cloud HSM.
resource "google_kms_crypto_key" "master_records" {
  name            = "master-records"
  key_ring        = "projects/acme-clinical-prod/locations/us-east4/keyRings/clinical"
  rotation_period = "7776000s"

  version_template {
    algorithm        = "GOOGLE_SYMMETRIC_ENCRYPTION"
    protection_level = "HSM"
  }

  labels = {
    high_value = "true"
  }
}
