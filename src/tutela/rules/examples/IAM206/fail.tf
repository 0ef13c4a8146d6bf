# A node pool without a service account: nodes use the default compute account.
resource "google_container_node_pool" "batch" {
  name       = "batch"
  cluster    = "projects/acme-clinical-prod/locations/us-central1/clusters/clinical"
  node_count = 2

  node_config {
    machine_type = "e2-standard-8"
  }
}
