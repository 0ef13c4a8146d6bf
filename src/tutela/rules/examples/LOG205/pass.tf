resource "google_sql_database_instance" "records" {
  name             = "records-audited"
  database_version = "POSTGRES_16"
  region           = "us-east4"

  settings {
    tier = "db-custom-4-15360"

    database_flags {
      name  = "log_connections"
      value = "on"
    }

    database_flags {
      name  = "log_disconnections"
      value = "on"
    }
  }
}
