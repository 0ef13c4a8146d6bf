resource "google_compute_disk" "records_data" {
  name = "records-data"
  zone = "us-east4-a"
  size = 500
  type = "pd-ssd"

  disk_encryption_key {
    kms_key_self_link = "projects/acme-clinical-prod/locations/us-east4/keyRings/clinical/cryptoKeys/disks"
  }

  labels = {
    data_classification = "ephi"
  }
}
