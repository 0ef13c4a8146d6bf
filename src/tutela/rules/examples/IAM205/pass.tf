# A dedicated runtime service account.
resource "google_service_account" "report_worker" {
  account_id = "report-worker"
}

resource "google_compute_instance" "report_worker" {
  name         = "report-worker"
  zone         = "us-east4-a"
  machine_type = "e2-standard-2"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    subnetwork = "projects/acme-clinical-prod/regions/us-east4/subnetworks/workers"
  }

  service_account {
    email  = google_service_account.report_worker.email
    scopes = ["cloud-platform"]
  }
}
