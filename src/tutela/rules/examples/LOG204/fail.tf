resource "google_container_cluster" "dark" {
  name                     = "dark"
  location                 = "us-east4"
  initial_node_count       = 1
  remove_default_node_pool = true
  logging_service          = "none"
  monitoring_service       = "none"
}
