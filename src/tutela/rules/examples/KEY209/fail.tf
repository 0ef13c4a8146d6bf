resource "google_container_cluster" "tools" {
  name                     = "tools"
  location                 = "us-east4"
  initial_node_count       = 1
  remove_default_node_pool = true
}
