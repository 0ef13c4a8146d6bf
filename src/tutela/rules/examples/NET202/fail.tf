# A self-managed MongoDB and Redis host open to the internet.
resource "google_compute_firewall" "datastores" {
  name          = "allow-datastores"
  network       = "projects/acme-clinical-prod/global/networks/clinical"
  source_ranges = ["10.0.0.0/8", "0.0.0.0/0"]
  target_tags   = ["datastore"]

  allow {
    protocol = "tcp"
    ports    = ["27017", "6379"]
  }
}
