# The control plane accepts only the admin VPN range.
resource "google_container_cluster" "portal" {
  name                     = "portal"
  location                 = "us-east4"
  initial_node_count       = 1
  remove_default_node_pool = true

  master_authorized_networks_config {
    cidr_blocks {
      cidr_block   = "10.20.0.0/16"
      display_name = "admin-vpn"
    }
  }
}
