# ePHI under a Google-managed key.
resource "google_storage_bucket" "care_plans" {
  name                        = "acme-care-plans"
  location                    = "US"
  uniform_bucket_level_access = true

  labels = {
    data_classification = "ephi"
    team                = "care-management"
  }
}
