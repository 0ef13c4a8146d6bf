# No backup_configuration: automated backups are off.
resource "google_sql_database_instance" "portal" {
  name             = "portal-mysql"
  database_version = "MYSQL_8_0"
  region           = "us-east4"

  settings {
    tier = "db-n1-standard-2"
  }
}
