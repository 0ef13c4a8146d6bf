# management left at its defaults: auto-upgrade and auto-repair on.
resource "google_container_node_pool" "web" {
  name       = "web"
  cluster    = "projects/acme-clinical-prod/locations/us-central1/clusters/clinical"
  node_count = 3

  node_config {
    machine_type    = "e2-standard-4"
    service_account = "gke-nodes@acme-clinical-prod.iam.gserviceaccount.com"
  }
}
