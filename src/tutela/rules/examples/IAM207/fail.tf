# No Workload Identity: pods borrow the node's identity.
resource "google_container_cluster" "legacy_apps" {
  name                     = "legacy-apps"
  location                 = "us-central1"
  initial_node_count       = 1
  remove_default_node_pool = true
}
