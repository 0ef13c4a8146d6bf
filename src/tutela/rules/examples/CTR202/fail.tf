# Opted out of release channels: upgrades are manual.
resource "google_container_cluster" "pinned" {
  name                     = "pinned"
  location                 = "us-central1"
  initial_node_count       = 1
  remove_default_node_pool = true
  min_master_version       = "1.27"

  release_channel {
    channel = "UNSPECIFIED"
  }
}
