# An instance template naming the default compute service account explicitly.
resource "google_compute_instance_template" "ocr" {
  name_prefix  = "ocr-"
  machine_type = "e2-standard-4"

  disk {
    source_image = "debian-cloud/debian-12"
    boot         = true
  }

  network_interface {
    subnetwork = "projects/acme-clinical-prod/regions/us-east4/subnetworks/workers"
  }

  service_account {
    email  = "123456789012-compute@developer.gserviceaccount.com"
    scopes = ["https://www.googleapis.com/auth/devstorage.read_only"]
  }
}
