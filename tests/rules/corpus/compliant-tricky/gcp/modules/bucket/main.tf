variable "name" {
  type = string
}

variable "reader" {
  type = string
}

variable "kms_key" {
  type = string
}

variable "labels" {
  type = map(string)
}

resource "google_storage_bucket" "this" {
  name                        = var.name
  location                    = "US"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  labels                      = var.labels

  versioning {
    enabled = true
  }

  encryption {
    default_kms_key_name = var.kms_key
  }

  logging {
    log_bucket = "acme-storage-access-logs"
  }
}

resource "google_storage_bucket_iam_member" "reader" {
  bucket = google_storage_bucket.this.name
  role   = "roles/storage.objectViewer"
  member = var.reader
}
