# Workload Identity on a standard cluster.
resource "google_container_cluster" "workloads" {
  name                     = "workloads"
  location                 = "us-central1"
  initial_node_count       = 1
  remove_default_node_pool = true

  workload_identity_config {
    workload_pool = "acme-clinical-prod.svc.id.goog"
  }
}
