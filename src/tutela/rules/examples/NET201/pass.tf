# SSH only through Identity-Aware Proxy; HTTPS open to the world is fine for this rule.
resource "google_compute_firewall" "iap_ssh" {
  name          = "allow-ssh-from-iap"
  network       = "projects/acme-clinical-prod/global/networks/clinical"
  direction     = "INGRESS"
  source_ranges = ["35.235.240.0/20"]
  target_tags   = ["ssh"]

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}

resource "google_compute_firewall" "public_https" {
  name          = "allow-https"
  network       = "projects/acme-clinical-prod/global/networks/clinical"
  source_ranges = ["0.0.0.0/0"]
  target_tags   = ["web"]

  allow {
    protocol = "tcp"
    ports    = ["443"]
  }
}
