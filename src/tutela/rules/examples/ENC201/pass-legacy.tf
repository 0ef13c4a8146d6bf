# The pre-v6 provider flag.
resource "google_sql_database_instance" "billing" {
  name             = "billing-mysql"
  database_version = "MYSQL_8_0"
  region           = "us-east4"

  settings {
    tier = "db-n1-standard-2"
    ip_configuration {
      ipv4_enabled    = false
      private_network = "projects/acme-clinical-prod/global/networks/clinical"
      require_ssl     = true
    }
  }
}
