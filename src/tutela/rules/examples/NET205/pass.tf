# An ePHI bucket that enforces public access prevention.
resource "google_storage_bucket" "imaging" {
  name                        = "acme-imaging-studies"
  location                    = "US"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  labels = {
    data_classification = "ephi"
  }
}
