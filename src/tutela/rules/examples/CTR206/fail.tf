# Secure Boot left off (the default).
resource "google_container_node_pool" "legacy" {
  name       = "legacy"
  cluster    = "projects/acme-clinical-prod/locations/us-east4/clusters/ehr"
  node_count = 2

  node_config {
    machine_type    = "e2-standard-4"
    service_account = "gke-nodes@acme-clinical-prod.iam.gserviceaccount.com"
  }
}
