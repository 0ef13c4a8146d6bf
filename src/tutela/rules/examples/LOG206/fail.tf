resource "google_compute_subnetwork" "legacy" {
  name          = "legacy"
  region        = "us-east4"
  network       = "projects/acme-clinical-prod/global/networks/clinical"
  ip_cidr_range = "10.20.0.0/20"
}
