# Serial console explicitly off.
resource "google_compute_instance" "pacs_gateway" {
  name         = "pacs-gateway"
  zone         = "us-central1-a"
  machine_type = "e2-standard-4"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    subnetwork = "projects/acme-clinical-prod/regions/us-central1/subnetworks/imaging"
  }

  metadata = {
    serial-port-enable = "FALSE"
  }
}
