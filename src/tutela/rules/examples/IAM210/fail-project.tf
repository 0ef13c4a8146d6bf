# Project-wide metadata turning OS Login off.
resource "google_compute_project_metadata_item" "oslogin_off" {
  project = "acme-vendor-sandbox"
  key     = "enable-oslogin"
  value   = "FALSE"
}
