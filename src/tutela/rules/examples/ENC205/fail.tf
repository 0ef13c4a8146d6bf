# An HTTP function left at SECURE_OPTIONAL (plain HTTP also answered).
resource "google_cloudfunctions_function" "appointment_webhook" {
  name                  = "appointment-webhook"
  region                = "us-central1"
  runtime               = "nodejs20"
  entry_point           = "webhook"
  source_archive_bucket = "acme-function-sources"
  source_archive_object = "appointment-webhook.zip"
  trigger_http          = true
}
