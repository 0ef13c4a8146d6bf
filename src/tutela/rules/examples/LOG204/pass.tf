resource "google_container_cluster" "observed" {
  name                     = "observed"
  location                 = "us-east4"
  initial_node_count       = 1
  remove_default_node_pool = true

  logging_config {
    enable_components = ["SYSTEM_COMPONENTS", "WORKLOADS", "APISERVER"]
  }
}
