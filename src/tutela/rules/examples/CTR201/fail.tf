resource "google_container_cluster" "staging" {
  name                     = "staging"
  location                 = "us-central1"
  initial_node_count       = 1
  remove_default_node_pool = true

  binary_authorization {
    evaluation_mode = "DISABLED"
  }
}
