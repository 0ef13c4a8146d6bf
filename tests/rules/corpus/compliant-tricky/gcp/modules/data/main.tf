variable "project_id" {
  type = string
}

variable "region" {
  type = string
}

variable "labels" {
  type = map(string)
}

variable "app_email" {
  type = string
}

variable "network_id" {
  type = string
}

variable "rotation_period" {
  type    = string
  default = "7776000s" # 90 days
}

variable "backup" {
  type = object({
    enabled          = bool
    retained_backups = number
  })
  default = {
    enabled          = true
    retained_backups = 30
  }
}

locals {
  keys = toset(["storage", "sql", "disks", "bigquery", "pubsub", "run", "functions", "gke"])
  postgres_flags = {
    log_connections    = "on"
    log_disconnections = "on"
    log_checkpoints    = "on"
  }
}

resource "google_kms_key_ring" "clinical" {
  name     = "clinical"
  location = var.region
}

resource "google_kms_key_ring" "multi_region" {
  name     = "clinical-us"
  location = "us"
}

resource "google_kms_crypto_key" "data" {
  for_each        = local.keys
  name            = each.key
  key_ring        = each.key == "storage" || each.key == "bigquery" ? google_kms_key_ring.multi_region.id : google_kms_key_ring.clinical.id
  rotation_period = var.rotation_period
  labels          = { purpose = each.key }
}

# The key that wraps the others' exports: high-value, in Cloud HSM.
resource "google_kms_crypto_key" "master" {
  name            = "export-master"
  key_ring        = google_kms_key_ring.clinical.id
  rotation_period = var.rotation_period
  labels = {
    high_value = "true"
  }

  version_template {
    algorithm        = "GOOGLE_SYMMETRIC_ENCRYPTION"
    protection_level = "HSM"
  }
}

# Asymmetric signing keys cannot rotate automatically.
resource "google_kms_crypto_key" "signing" {
  name     = "document-signing"
  key_ring = google_kms_key_ring.clinical.id
  purpose  = "ASYMMETRIC_SIGN"

  version_template {
    algorithm = "EC_SIGN_P384_SHA384"
  }
}

resource "google_kms_crypto_key_iam_member" "app_uses_keys" {
  for_each      = google_kms_crypto_key.data
  crypto_key_id = each.value.id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = "serviceAccount:${var.app_email}"
}

resource "google_sql_database_instance" "ehr" {
  name                = "ehr-primary"
  database_version    = "POSTGRES_16"
  region              = var.region
  encryption_key_name = google_kms_crypto_key.data["sql"].id
  deletion_protection = true

  settings {
    tier                        = "db-custom-8-32768"
    availability_type           = "REGIONAL"
    deletion_protection_enabled = true
    user_labels                 = var.labels

    ip_configuration {
      ipv4_enabled    = false
      private_network = var.network_id
      ssl_mode        = "ENCRYPTED_ONLY"
    }

    backup_configuration {
      enabled                        = var.backup.enabled
      point_in_time_recovery_enabled = true
      start_time                     = "02:00"
      location                       = "us"

      backup_retention_settings {
        retained_backups = var.backup.retained_backups
        retention_unit   = "COUNT"
      }
    }

    dynamic "database_flags" {
      for_each = local.postgres_flags
      content {
        name  = database_flags.key
        value = database_flags.value
      }
    }
  }
}

# The reporting replica: backups and failover belong to the primary.
resource "google_sql_database_instance" "ehr_replica" {
  name                 = "ehr-replica"
  database_version     = "POSTGRES_16"
  region               = var.region
  master_instance_name = google_sql_database_instance.ehr.name
  encryption_key_name  = google_kms_crypto_key.data["sql"].id

  replica_configuration {
    failover_target = false
  }

  settings {
    tier        = "db-custom-4-15360"
    user_labels = var.labels

    ip_configuration {
      ipv4_enabled    = false
      private_network = var.network_id
      ssl_mode        = "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
    }

    dynamic "database_flags" {
      for_each = local.postgres_flags
      content {
        name  = database_flags.key
        value = database_flags.value
      }
    }
  }
}

resource "google_bigquery_dataset" "outcomes" {
  dataset_id = "clinical_outcomes"
  location   = "US"
  labels     = var.labels

  default_encryption_configuration {
    kms_key_name = google_kms_crypto_key.data["bigquery"].id
  }

  access {
    role          = "OWNER"
    special_group = "projectOwners"
  }

  access {
    role           = "READER"
    group_by_email = "outcomes-analysts@acme-health.example"
  }
}

resource "google_bigquery_dataset_iam_member" "app_writer" {
  dataset_id = google_bigquery_dataset.outcomes.dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = "serviceAccount:${var.app_email}"
}

resource "google_pubsub_topic" "adt" {
  name         = "adt-events"
  kms_key_name = google_kms_crypto_key.data["pubsub"].id
  labels       = var.labels

  message_storage_policy {
    allowed_persistence_regions = [var.region]
  }
}

resource "google_pubsub_topic_iam_member" "publisher" {
  topic  = google_pubsub_topic.adt.name
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${var.app_email}"
}

resource "google_compute_disk" "scratch" {
  name   = "transcription-scratch"
  zone   = "${var.region}-a"
  size   = 200
  labels = var.labels

  disk_encryption_key {
    kms_key_self_link = google_kms_crypto_key.data["disks"].id
  }
}

# Audit logs: a locked one-year bucket fed by a sink, plus the Cloud Logging buckets.
resource "google_storage_bucket" "audit_logs" {
  name                        = "acme-audit-logs"
  location                    = "US"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  retention_policy {
    retention_period = 34560000 # 400 days
    is_locked        = true
  }
}

resource "google_logging_project_sink" "audit" {
  name                   = "audit-to-gcs"
  destination            = "storage.googleapis.com/${google_storage_bucket.audit_logs.name}"
  filter                 = "logName:\"cloudaudit.googleapis.com\""
  unique_writer_identity = true
}

resource "google_storage_bucket_iam_member" "sink_writer" {
  bucket = google_storage_bucket.audit_logs.name
  role   = "roles/storage.objectCreator"
  member = google_logging_project_sink.audit.writer_identity
}

# Usage logs of the document buckets land here.
resource "google_storage_bucket" "access_logs" {
  name                        = "acme-storage-access-logs"
  location                    = "US"
  uniform_bucket_level_access = true

  retention_policy {
    retention_period = 31536000
    is_locked        = true
  }
}

resource "google_logging_project_bucket_config" "default" {
  project        = var.project_id
  location       = "us"
  bucket_id      = "_Default"
  retention_days = 400
}

resource "google_logging_project_bucket_config" "security" {
  project        = var.project_id
  location       = "us"
  bucket_id      = "security"
  retention_days = 730
  locked         = true
}

output "key_ids" {
  value = { for k, key in google_kms_crypto_key.data : k => key.id }
}
