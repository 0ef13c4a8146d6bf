# An instance that opts out of OS Login and carries an SSH key in metadata.
resource "google_compute_instance" "vendor_appliance" {
  name         = "vendor-appliance"
  zone         = "us-east4-c"
  machine_type = "e2-medium"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    subnetwork = "projects/acme-clinical-prod/regions/us-east4/subnetworks/vendors"
  }

  metadata = {
    enable-oslogin = "FALSE"
    ssh-keys       = "vendor:ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBexampleexampleexampleexample vendor"
  }
}
