# Object ACLs still apply (uniform access left at its default, off).
resource "google_storage_bucket" "fax_inbox" {
  name     = "acme-fax-inbox"
  location = "US"
}
