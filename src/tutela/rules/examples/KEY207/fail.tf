resource "google_bigquery_dataset" "readmissions" {
  dataset_id = "readmissions"
  location   = "US"

  labels = {
    data_classification = "ephi"
  }
}
