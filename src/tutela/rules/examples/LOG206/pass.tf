resource "google_compute_subnetwork" "workloads" {
  name          = "workloads"
  region        = "us-east4"
  network       = "projects/acme-clinical-prod/global/networks/clinical"
  ip_cidr_range = "10.10.0.0/20"

  log_config {
    aggregation_interval = "INTERVAL_5_SEC"
    flow_sampling        = 0.5
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

# A proxy-only subnet carries no VM traffic: not applicable.
resource "google_compute_subnetwork" "proxy_only" {
  name          = "proxy-only"
  region        = "us-east4"
  network       = "projects/acme-clinical-prod/global/networks/clinical"
  ip_cidr_range = "10.129.0.0/23"
  purpose       = "REGIONAL_MANAGED_PROXY"
  role          = "ACTIVE"
}
