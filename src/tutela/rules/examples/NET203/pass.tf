# Private IP only; the Auth Proxy is the way in.
resource "google_sql_database_instance" "records" {
  name             = "records-pg"
  database_version = "POSTGRES_15"
  region           = "us-east4"

  settings {
    tier = "db-custom-4-16384"
    ip_configuration {
      ipv4_enabled    = false
      private_network = "projects/acme-clinical-prod/global/networks/clinical"
      ssl_mode        = "ENCRYPTED_ONLY"
    }
  }
}
