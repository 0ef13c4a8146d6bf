resource "google_sql_database_instance" "eligibility" {
  name                = "eligibility"
  database_version    = "POSTGRES_16"
  region              = "us-east4"
  deletion_protection = false

  settings {
    tier = "db-custom-2-7680"
  }
}
