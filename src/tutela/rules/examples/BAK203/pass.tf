resource "google_storage_bucket" "care_notes" {
  name                        = "acme-care-notes"
  location                    = "US"
  uniform_bucket_level_access = true

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      num_newer_versions = 10
    }
    action {
      type = "Delete"
    }
  }
}

# Retention-locked objects cannot be overwritten or deleted either.
resource "google_storage_bucket" "audit_archive" {
  name                        = "acme-audit-archive"
  location                    = "US"
  uniform_bucket_level_access = true

  retention_policy {
    retention_period = 220752000
  }
}
