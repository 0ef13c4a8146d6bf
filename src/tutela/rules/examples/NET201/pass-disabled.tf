# The emergency rule exists but is disabled.
resource "google_compute_firewall" "break_glass_ssh" {
  name          = "break-glass-ssh"
  network       = "projects/acme-clinical-prod/global/networks/clinical"
  source_ranges = ["0.0.0.0/0"]
  disabled      = true

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}
