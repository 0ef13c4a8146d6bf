# MySQL point-in-time recovery uses binary logging.
resource "google_sql_database_instance" "billing" {
  name             = "billing-mysql"
  database_version = "MYSQL_8_0"
  region           = "us-east4"

  settings {
    tier = "db-n1-standard-4"

    backup_configuration {
      enabled            = true
      binary_log_enabled = true
    }
  }
}
