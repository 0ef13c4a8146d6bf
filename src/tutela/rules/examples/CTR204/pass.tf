resource "google_container_cluster" "segmented" {
  name                     = "segmented"
  location                 = "us-east4"
  initial_node_count       = 1
  remove_default_node_pool = true
  datapath_provider        = "ADVANCED_DATAPATH"
}
