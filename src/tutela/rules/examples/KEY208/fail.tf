resource "google_pubsub_topic" "lab_orders" {
  name = "lab-orders"

  labels = {
    data_classification = "phi"
  }
}
