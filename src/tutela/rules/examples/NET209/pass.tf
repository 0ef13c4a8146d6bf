# A Shielded VM with all three protections.
resource "google_compute_instance" "ehr_batch" {
  name         = "ehr-batch"
  zone         = "us-east1-c"
  machine_type = "n2-standard-4"

  boot_disk {
    initialize_params {
      image = "projects/cos-cloud/global/images/family/cos-stable"
    }
  }

  network_interface {
    subnetwork = "projects/acme-clinical-prod/regions/us-east1/subnetworks/batch"
  }

  shielded_instance_config {
    enable_secure_boot          = true
    enable_vtpm                 = true
    enable_integrity_monitoring = true
  }
}
