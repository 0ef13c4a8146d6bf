resource "google_container_cluster" "stable" {
  name                     = "stable"
  location                 = "us-central1"
  initial_node_count       = 1
  remove_default_node_pool = true

  release_channel {
    channel = "STABLE"
  }
}
