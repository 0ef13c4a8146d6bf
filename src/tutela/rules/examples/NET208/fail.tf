# Project-wide metadata turning on the serial console for every VM.
resource "google_compute_project_metadata_item" "serial_console" {
  project = "acme-clinical-prod"
  key     = "serial-port-enable"
  value   = "TRUE"
}
