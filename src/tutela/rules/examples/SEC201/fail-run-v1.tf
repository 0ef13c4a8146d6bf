# A Cloud Run (v1) service with a database password in clear text.
resource "google_cloud_run_service" "portal_backend" {
  name     = "portal-backend"
  location = "us-east4"

  template {
    spec {
      containers {
        image = "us-east4-docker.pkg.dev/acme-clinical-prod/apps/portal-backend:3.1.0"
        env {
          name  = "DATABASE_PASSWORD"
          value = "Winter2024!portal"
        }
      }
    }
  }
}
