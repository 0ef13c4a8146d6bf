resource "google_pubsub_topic" "adt_events" {
  name         = "adt-events"
  kms_key_name = "projects/acme-clinical-prod/locations/us-east4/keyRings/events/cryptoKeys/pubsub"

  labels = {
    data_classification = "ephi"
  }
}
