# Shared with every Google account through an access block.
resource "google_bigquery_dataset" "population_health" {
  dataset_id = "population_health"
  location   = "US"

  access {
    role          = "OWNER"
    special_group = "projectOwners"
  }

  access {
    role          = "READER"
    special_group = "allAuthenticatedUsers"
  }
}
