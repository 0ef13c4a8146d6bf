resource "google_cloudfunctions_function" "eligibility_check" {
  name                         = "eligibility-check"
  region                       = "us-central1"
  runtime                      = "python312"
  entry_point                  = "handle"
  source_archive_bucket        = "acme-function-sources"
  source_archive_object        = "eligibility-check.zip"
  trigger_http                 = true
  https_trigger_security_level = "SECURE_ALWAYS"
  ingress_settings             = "ALLOW_INTERNAL_AND_GCLB"
}
