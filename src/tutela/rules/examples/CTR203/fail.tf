resource "google_container_node_pool" "gpu" {
  name       = "gpu"
  cluster    = "projects/acme-clinical-prod/locations/us-central1/clusters/clinical"
  node_count = 1

  management {
    auto_repair  = true
    auto_upgrade = false
  }

  node_config {
    machine_type    = "n1-standard-8"
    service_account = "gke-nodes@acme-clinical-prod.iam.gserviceaccount.com"
  }
}
