# No SSL requirement: plaintext connections are accepted.
resource "google_sql_database_instance" "scheduling" {
  name             = "scheduling-pg"
  database_version = "POSTGRES_15"
  region           = "us-east4"

  settings {
    tier = "db-custom-2-7680"
    ip_configuration {
      ipv4_enabled    = false
      private_network = "projects/acme-clinical-prod/global/networks/clinical"
    }
  }
}
