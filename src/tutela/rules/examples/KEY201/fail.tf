# No rotation period: the key version never changes.
resource "google_kms_key_ring" "billing" {
  name     = "billing"
  location = "us-east4"
}

resource "google_kms_crypto_key" "invoices" {
  name     = "invoices"
  key_ring = google_kms_key_ring.billing.id
}
