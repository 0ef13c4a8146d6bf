resource "google_container_cluster" "calico" {
  name                     = "calico"
  location                 = "us-east4"
  initial_node_count       = 1
  remove_default_node_pool = true

  network_policy {
    enabled  = true
    provider = "CALICO"
  }
}
