# An ePHI bucket that relies on whatever the organisation policy says.
resource "google_storage_bucket" "discharge_summaries" {
  name                        = "acme-discharge-summaries"
  location                    = "US"
  uniform_bucket_level_access = true
  public_access_prevention    = "inherited"

  labels = {
    data_classification = "phi"
  }
}
