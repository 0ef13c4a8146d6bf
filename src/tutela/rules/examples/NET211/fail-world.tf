# Authorized networks that authorize everyone.
resource "google_container_cluster" "sandbox" {
  name                     = "sandbox"
  location                 = "us-west1"
  initial_node_count       = 1
  remove_default_node_pool = true

  master_authorized_networks_config {
    cidr_blocks {
      cidr_block   = "0.0.0.0/0"
      display_name = "anywhere"
    }
  }
}
