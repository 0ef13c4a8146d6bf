resource "google_sql_database_instance" "ehr" {
  name             = "ehr-pg"
  database_version = "POSTGRES_16"
  region           = "us-east4"

  settings {
    tier = "db-custom-8-32768"
    ip_configuration {
      ipv4_enabled    = false
      private_network = "projects/acme-clinical-prod/global/networks/clinical"
      ssl_mode        = "ENCRYPTED_ONLY"
    }
  }
}
