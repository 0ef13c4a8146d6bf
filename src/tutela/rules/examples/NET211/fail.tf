# A public control plane with no authorized networks at all.
resource "google_container_cluster" "research" {
  name                     = "research"
  location                 = "us-west1"
  initial_node_count       = 1
  remove_default_node_pool = true
}
