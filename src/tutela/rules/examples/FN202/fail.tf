# Cloud Run v2 with the default ingress: all traffic.
resource "google_cloud_run_v2_service" "patient_notifications" {
  name     = "patient-notifications"
  location = "us-east4"

  template {
    containers {
      image = "us-east4-docker.pkg.dev/acme-clinical-prod/apps/notifications:4.2.0"
    }
  }
}
