resource "google_container_cluster" "unshielded" {
  name                     = "unshielded"
  location                 = "us-east4"
  initial_node_count       = 1
  remove_default_node_pool = true
  enable_shielded_nodes    = false
}
