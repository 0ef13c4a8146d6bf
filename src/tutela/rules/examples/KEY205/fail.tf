# The instance holds ePHI; its boot disk uses a Google-managed key.
resource "google_compute_instance" "transcription" {
  name         = "transcription"
  zone         = "us-east4-a"
  machine_type = "n2-standard-4"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
      size  = 200
    }
  }

  network_interface {
    subnetwork = "projects/acme-clinical-prod/regions/us-east4/subnetworks/workers"
  }

  labels = {
    data_classification = "ephi"
  }
}
