# Nodes with public IPs (no private cluster configuration).
resource "google_container_cluster" "analytics" {
  name                     = "analytics"
  location                 = "us-central1"
  initial_node_count       = 1
  remove_default_node_pool = true
}
