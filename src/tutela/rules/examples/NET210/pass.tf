# Private nodes behind Cloud NAT.
resource "google_container_cluster" "clinical" {
  name     = "clinical"
  location = "us-central1"

  initial_node_count       = 1
  remove_default_node_pool = true

  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = false
    master_ipv4_cidr_block  = "172.16.0.32/28"
  }
}
