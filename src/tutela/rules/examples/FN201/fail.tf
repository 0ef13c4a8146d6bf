# A function handling lab results that anyone may call.
resource "google_cloudfunctions_function" "lab_results" {
  name                         = "lab-results"
  region                       = "us-central1"
  runtime                      = "python312"
  entry_point                  = "handle"
  source_archive_bucket        = "acme-function-sources"
  source_archive_object        = "lab-results.zip"
  trigger_http                 = true
  https_trigger_security_level = "SECURE_ALWAYS"
}

resource "google_cloudfunctions_function_iam_member" "anyone" {
  project        = "acme-clinical-prod"
  region         = "us-central1"
  cloud_function = google_cloudfunctions_function.lab_results.name
  role           = "roles/cloudfunctions.invoker"
  member         = "allUsers"
}
