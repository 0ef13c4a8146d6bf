# Made public through a dataset IAM member.
resource "google_bigquery_dataset" "open_metrics" {
  dataset_id = "open_metrics"
  location   = "US"
}

resource "google_bigquery_dataset_iam_member" "everyone" {
  dataset_id = google_bigquery_dataset.open_metrics.dataset_id
  role       = "roles/bigquery.dataViewer"
  member     = "allUsers"
}
