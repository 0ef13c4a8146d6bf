# A cluster migrated from an old setup that still uses legacy ABAC.
resource "google_container_cluster" "old_portal" {
  name                     = "old-portal"
  location                 = "us-east1"
  initial_node_count       = 1
  remove_default_node_pool = true
  enable_legacy_abac       = true
}
