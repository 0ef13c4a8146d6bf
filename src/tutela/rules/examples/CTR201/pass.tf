resource "google_container_cluster" "prod" {
  name                     = "prod"
  location                 = "us-central1"
  initial_node_count       = 1
  remove_default_node_pool = true

  binary_authorization {
    evaluation_mode = "PROJECT_SINGLETON_POLICY_ENFORCE"
  }
}
