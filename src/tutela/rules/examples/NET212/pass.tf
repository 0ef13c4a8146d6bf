# Data and compute in US locations (a zone counts as its region).
variable "region" {
  type    = string
  default = "us-east4"
}

resource "google_storage_bucket" "referrals" {
  name     = "acme-referrals"
  location = "US"
}

resource "google_sql_database_instance" "scheduling" {
  name             = "scheduling"
  database_version = "POSTGRES_15"
  region           = var.region

  settings {
    tier = "db-custom-2-7680"
  }
}

resource "google_compute_instance" "intake" {
  name         = "intake"
  zone         = "${var.region}-a"
  machine_type = "e2-small"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    network = "default"
  }
}
