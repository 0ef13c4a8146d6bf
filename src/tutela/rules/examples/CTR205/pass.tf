# Shielded nodes are on by default.
resource "google_container_cluster" "default_shielded" {
  name                     = "default-shielded"
  location                 = "us-east4"
  initial_node_count       = 1
  remove_default_node_pool = true
}
