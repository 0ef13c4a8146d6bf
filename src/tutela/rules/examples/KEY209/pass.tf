resource "google_container_cluster" "ehr" {
  name                     = "ehr"
  location                 = "us-east4"
  initial_node_count       = 1
  remove_default_node_pool = true

  database_encryption {
    state    = "ENCRYPTED"
    key_name = "projects/acme-clinical-prod/locations/us-east4/keyRings/gke/cryptoKeys/secrets"
  }
}
