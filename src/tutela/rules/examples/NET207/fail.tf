# An instance template whose instances get ephemeral external IPs.
resource "google_compute_instance_template" "kiosk_api" {
  name_prefix  = "kiosk-api-"
  machine_type = "e2-small"

  disk {
    source_image = "debian-cloud/debian-12"
    boot         = true
  }

  network_interface {
    network = "default"
    access_config {}
  }
}
