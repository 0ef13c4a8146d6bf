# Patient documents copied to a European bucket and a Tokyo key ring.
resource "google_storage_bucket" "eu_copies" {
  name     = "acme-documents-eu"
  location = "EUROPE-WEST3"
}

resource "google_kms_key_ring" "apac" {
  name     = "apac-keys"
  location = "asia-northeast1"
}
