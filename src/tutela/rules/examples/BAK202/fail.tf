# PostgreSQL with daily backups but no point-in-time recovery.
resource "google_sql_database_instance" "orders" {
  name             = "orders-pg"
  database_version = "POSTGRES_15"
  region           = "us-east4"

  settings {
    tier = "db-custom-2-7680"

    backup_configuration {
      enabled = true
    }
  }
}
