# Nodes run as a minimal service account.
resource "google_service_account" "gke_nodes" {
  account_id = "gke-nodes"
}

resource "google_container_node_pool" "general" {
  name       = "general"
  cluster    = "projects/acme-clinical-prod/locations/us-central1/clusters/clinical"
  node_count = 3

  node_config {
    machine_type    = "e2-standard-4"
    service_account = google_service_account.gke_nodes.email
    oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]
  }
}
