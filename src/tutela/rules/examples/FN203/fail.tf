resource "google_cloudfunctions_function" "prior_auth" {
  name                  = "prior-auth"
  region                = "us-central1"
  runtime               = "java21"
  entry_point           = "com.acme.PriorAuth"
  source_archive_bucket = "acme-function-sources"
  source_archive_object = "prior-auth.zip"

  event_trigger {
    event_type = "google.pubsub.topic.publish"
    resource   = "projects/acme-clinical-prod/topics/prior-auth-requests"
  }

  labels = {
    data_classification = "ephi"
  }
}
