# A Pub/Sub topic managed elsewhere, opened to any Google account for publishing.
resource "google_pubsub_topic_iam_binding" "intake_publishers" {
  project = "acme-clinical-prod"
  topic   = "projects/acme-clinical-prod/topics/referral-intake"
  role    = "roles/pubsub.publisher"
  members = ["allAuthenticatedUsers"]
}
