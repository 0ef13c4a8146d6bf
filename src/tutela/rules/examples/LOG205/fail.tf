# Connections logged, disconnections not.
resource "google_sql_database_instance" "intake" {
  name             = "intake-pg"
  database_version = "POSTGRES_15"
  region           = "us-east4"

  settings {
    tier = "db-custom-2-7680"

    database_flags {
      name  = "log_connections"
      value = "on"
    }
  }
}
