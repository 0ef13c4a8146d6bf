# An ingress rule for all protocols that names no source: it applies to 0.0.0.0/0.
resource "google_compute_firewall" "allow_everything" {
  name    = "allow-everything"
  network = "projects/acme-clinical-prod/global/networks/sandbox"

  allow {
    protocol = "all"
  }
}
