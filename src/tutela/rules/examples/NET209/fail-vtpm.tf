# Secure Boot on, but vTPM explicitly disabled in the template.
resource "google_compute_instance_template" "scheduler" {
  name_prefix  = "scheduler-"
  machine_type = "e2-medium"

  disk {
    source_image = "debian-cloud/debian-12"
    boot         = true
  }

  network_interface {
    subnetwork = "projects/acme-clinical-prod/regions/us-east1/subnetworks/batch"
  }

  shielded_instance_config {
    enable_secure_boot = true
    enable_vtpm        = false
  }
}
