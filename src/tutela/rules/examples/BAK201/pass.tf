resource "google_sql_database_instance" "ehr" {
  name             = "ehr-pg"
  database_version = "POSTGRES_16"
  region           = "us-east4"

  settings {
    tier = "db-custom-8-32768"

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
      start_time                     = "03:00"

      backup_retention_settings {
        retained_backups = 30
      }
    }
  }
}

# Read replicas take no backups of their own: not applicable.
resource "google_sql_database_instance" "ehr_replica" {
  name                 = "ehr-pg-replica"
  database_version     = "POSTGRES_16"
  region               = "us-east4"
  master_instance_name = google_sql_database_instance.ehr.name

  settings {
    tier = "db-custom-8-32768"
  }
}
