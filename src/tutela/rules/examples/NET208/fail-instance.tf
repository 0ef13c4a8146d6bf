# One instance with interactive serial access enabled for debugging.
resource "google_compute_instance" "lab_interface" {
  name         = "lab-interface"
  zone         = "us-central1-b"
  machine_type = "e2-small"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    subnetwork = "projects/acme-clinical-prod/regions/us-central1/subnetworks/lab"
  }

  metadata = {
    serial-port-enable = "1"
  }
}
