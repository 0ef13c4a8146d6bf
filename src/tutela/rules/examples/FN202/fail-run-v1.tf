# Cloud Run v1 with ingress "all" set through the annotation.
resource "google_cloud_run_service" "hl7_bridge" {
  name     = "hl7-bridge"
  location = "us-east4"

  metadata {
    annotations = {
      "run.googleapis.com/ingress" = "all"
    }
  }

  template {
    spec {
      containers {
        image = "us-east4-docker.pkg.dev/acme-clinical-prod/apps/hl7-bridge:0.9.1"
      }
    }
  }
}
