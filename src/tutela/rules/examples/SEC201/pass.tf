# The password comes from Secret Manager; only non-secret settings are literals.
resource "google_cloud_run_v2_service" "referrals_api" {
  name     = "referrals-api"
  location = "us-east4"
  ingress  = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"

  template {
    containers {
      image = "us-east4-docker.pkg.dev/acme-clinical-prod/apps/referrals-api:1.8.2"

      env {
        name  = "DB_HOST"
        value = "10.10.0.5"
      }

      env {
        name = "DB_PASSWORD"
        value_source {
          secret_key_ref {
            secret  = "referrals-db-password"
            version = "latest"
          }
        }
      }
    }
  }
}
