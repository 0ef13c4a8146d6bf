# No client certificate issued.
resource "google_container_cluster" "messaging" {
  name                     = "messaging"
  location                 = "us-east1"
  initial_node_count       = 1
  remove_default_node_pool = true

  master_auth {
    client_certificate_config {
      issue_client_certificate = false
    }
  }
}
