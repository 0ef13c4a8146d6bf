# A "temporary" rule opening SSH and RDP to the whole internet.
resource "google_compute_firewall" "debug_access" {
  name          = "allow-debug-access"
  network       = "projects/acme-clinical-prod/global/networks/clinical"
  source_ranges = ["0.0.0.0/0"]

  allow {
    protocol = "tcp"
    ports    = ["22", "3389"]
  }
}
