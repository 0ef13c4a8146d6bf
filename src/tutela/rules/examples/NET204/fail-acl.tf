# Fine-grained access with a public-read ACL.
resource "google_storage_bucket" "brochures" {
  name     = "acme-clinic-brochures"
  location = "US"
}

resource "google_storage_bucket_acl" "brochures" {
  bucket         = google_storage_bucket.brochures.name
  predefined_acl = "publicRead"
}
