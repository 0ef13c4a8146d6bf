# A worker without an external IP; egress goes through Cloud NAT.
resource "google_compute_instance" "hl7_worker" {
  name         = "hl7-worker"
  zone         = "us-east4-b"
  machine_type = "e2-standard-2"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    subnetwork = "projects/acme-clinical-prod/regions/us-east4/subnetworks/workers"
  }
}
