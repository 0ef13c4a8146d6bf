resource "google_cloud_run_v2_service" "chart_summaries" {
  name     = "chart-summaries"
  location = "us-east4"
  ingress  = "INGRESS_TRAFFIC_INTERNAL_ONLY"

  labels = {
    data_classification = "ephi"
  }

  template {
    encryption_key = "projects/acme-clinical-prod/locations/us-east4/keyRings/run/cryptoKeys/services"
    containers {
      image = "us-east4-docker.pkg.dev/acme-clinical-prod/apps/chart-summaries@sha256:1b6f0c2d5e8a7f3c9d4e6b1a2c8f7e5d3b9a0c4e6f8d2b1a3c5e7f9d0b2a4c6e"
    }
  }
}
