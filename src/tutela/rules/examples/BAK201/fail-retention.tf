# Backups on, but only three are kept.
resource "google_sql_database_instance" "messaging" {
  name             = "messaging-pg"
  database_version = "POSTGRES_15"
  region           = "us-east4"

  settings {
    tier = "db-custom-2-7680"

    backup_configuration {
      enabled = true
      backup_retention_settings {
        retained_backups = 3
      }
    }
  }
}
