resource "google_cloudfunctions2_function" "claims_intake" {
  name     = "claims-intake"
  location = "us-east4"

  build_config {
    runtime     = "go122"
    entry_point = "Intake"
  }

  service_config {
    ingress_settings = "ALLOW_INTERNAL_AND_GCLB"
  }
}
