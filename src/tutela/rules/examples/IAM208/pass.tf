# RBAC only.
resource "google_container_cluster" "payments" {
  name                     = "payments"
  location                 = "us-east1"
  initial_node_count       = 1
  remove_default_node_pool = true
  enable_legacy_abac       = false
}
