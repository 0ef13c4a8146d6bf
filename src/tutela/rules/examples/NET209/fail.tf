# No shielded_instance_config: Secure Boot stays off.
resource "google_compute_instance" "fax_gateway" {
  name         = "fax-gateway"
  zone         = "us-east1-b"
  machine_type = "e2-small"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    subnetwork = "projects/acme-clinical-prod/regions/us-east1/subnetworks/edge"
  }
}
