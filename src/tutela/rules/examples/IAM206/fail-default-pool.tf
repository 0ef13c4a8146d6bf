# A cluster that keeps its default node pool without naming a service account.
resource "google_container_cluster" "intake" {
  name               = "intake"
  location           = "us-central1-a"
  initial_node_count = 2

  node_config {
    machine_type = "e2-standard-2"
  }
}
