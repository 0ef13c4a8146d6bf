# Both guards: Terraform's (the default) and Cloud SQL's.
resource "google_sql_database_instance" "claims" {
  name             = "claims"
  database_version = "POSTGRES_16"
  region           = "us-east4"

  settings {
    tier                        = "db-custom-4-15360"
    deletion_protection_enabled = true
  }
}
