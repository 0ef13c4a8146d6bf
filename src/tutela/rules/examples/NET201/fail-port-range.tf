# A port range that happens to include SSH, from anywhere over IPv6.
resource "google_compute_firewall" "legacy_range" {
  name          = "allow-legacy-range"
  network       = "projects/acme-clinical-prod/global/networks/legacy"
  source_ranges = ["::/0"]

  allow {
    protocol = "tcp"
    ports    = ["20-25"]
  }
}
