# Analysts read the dataset through a group.
resource "google_bigquery_dataset" "claims_analytics" {
  dataset_id = "claims_analytics"
  location   = "US"

  access {
    role          = "OWNER"
    special_group = "projectOwners"
  }

  access {
    role           = "READER"
    group_by_email = "claims-analysts@acme-health.example"
  }
}
