resource "google_container_node_pool" "apps" {
  name       = "apps"
  cluster    = "projects/acme-clinical-prod/locations/us-east4/clusters/ehr"
  node_count = 3

  node_config {
    machine_type    = "e2-standard-4"
    service_account = "gke-nodes@acme-clinical-prod.iam.gserviceaccount.com"

    workload_metadata_config {
      mode = "GKE_METADATA"
    }
  }
}
