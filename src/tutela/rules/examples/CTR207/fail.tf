# Pods can read the node's credentials from the Compute Engine metadata server.
resource "google_container_node_pool" "agents" {
  name       = "agents"
  cluster    = "projects/acme-clinical-prod/locations/us-east4/clusters/ehr"
  node_count = 1

  node_config {
    machine_type    = "e2-standard-2"
    service_account = "gke-nodes@acme-clinical-prod.iam.gserviceaccount.com"

    workload_metadata_config {
      mode = "GCE_METADATA"
    }
  }
}
