# OS Login enabled on the instance.
resource "google_compute_instance" "claims_batch" {
  name         = "claims-batch"
  zone         = "us-east4-c"
  machine_type = "e2-standard-2"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    subnetwork = "projects/acme-clinical-prod/regions/us-east4/subnetworks/batch"
  }

  metadata = {
    enable-oslogin = "TRUE"
  }
}
