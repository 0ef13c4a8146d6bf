# A function with an API token pasted into its environment.
resource "google_cloudfunctions2_function" "fax_sender" {
  name     = "fax-sender"
  location = "us-east4"

  build_config {
    runtime     = "python312"
    entry_point = "send"
  }

  service_config {
    ingress_settings = "ALLOW_INTERNAL_ONLY"
    environment_variables = {
      FAX_PROVIDER_URL   = "https://api.fax-provider.example/v2"
      FAX_PROVIDER_TOKEN = "fx_live_9f8e7d6c5b4a39281706"
    }
  }
}
