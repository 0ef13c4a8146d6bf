# PostgreSQL reachable only from instances tagged "app".
resource "google_compute_firewall" "postgres_from_app" {
  name        = "allow-postgres-from-app"
  network     = "projects/acme-clinical-prod/global/networks/clinical"
  source_tags = ["app"]
  target_tags = ["postgres"]

  allow {
    protocol = "tcp"
    ports    = ["5432"]
  }
}
