# Internal images pullable by anyone.
resource "google_artifact_registry_repository" "internal_images" {
  repository_id = "internal-images"
  location      = "us-east4"
  format        = "DOCKER"
}

resource "google_artifact_registry_repository_iam_member" "anyone" {
  repository = google_artifact_registry_repository.internal_images.repository_id
  location   = "us-east4"
  role       = "roles/artifactregistry.reader"
  member     = "allUsers"
}
