resource "google_container_node_pool" "hardened" {
  name       = "hardened"
  cluster    = "projects/acme-clinical-prod/locations/us-east4/clusters/ehr"
  node_count = 3

  node_config {
    machine_type    = "e2-standard-4"
    service_account = "gke-nodes@acme-clinical-prod.iam.gserviceaccount.com"

    shielded_instance_config {
      enable_secure_boot          = true
      enable_integrity_monitoring = true
    }
  }
}
