# A fully private control plane.
resource "google_container_cluster" "claims" {
  name                     = "claims"
  location                 = "us-east4"
  initial_node_count       = 1
  remove_default_node_pool = true

  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = true
    master_ipv4_cidr_block  = "172.16.0.48/28"
  }
}
