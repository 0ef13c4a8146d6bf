resource "google_artifact_registry_repository" "apps" {
  repository_id = "apps"
  location      = "us-east4"
  format        = "DOCKER"
}

resource "google_artifact_registry_repository_iam_member" "nodes_pull" {
  repository = google_artifact_registry_repository.apps.name
  location   = google_artifact_registry_repository.apps.location
  role       = "roles/artifactregistry.reader"
  member     = "serviceAccount:gke-nodes@acme-clinical-prod.iam.gserviceaccount.com"
}
