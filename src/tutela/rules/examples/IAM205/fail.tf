# A service_account block without email: the default compute account, all Cloud APIs.
resource "google_compute_instance" "dicom_router" {
  name         = "dicom-router"
  zone         = "us-east4-a"
  machine_type = "e2-standard-2"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    subnetwork = "projects/acme-clinical-prod/regions/us-east4/subnetworks/imaging"
  }

  service_account {
    scopes = ["cloud-platform"]
  }
}
