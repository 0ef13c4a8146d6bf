# A key labelled high-value with software protection (the default).
resource "google_kms_crypto_key" "payment_tokens" {
  name            = "payment-tokens"
  key_ring        = "projects/acme-clinical-prod/locations/us-east4/keyRings/payments"
  rotation_period = "7776000s"

  labels = {
    key_class = "high-value"
  }
}
