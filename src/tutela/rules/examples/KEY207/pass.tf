resource "google_bigquery_dataset" "outcomes" {
  dataset_id = "clinical_outcomes"
  location   = "US"

  default_encryption_configuration {
    kms_key_name = "projects/acme-clinical-prod/locations/us/keyRings/analytics/cryptoKeys/bq"
  }

  labels = {
    data_classification = "ephi"
  }
}
