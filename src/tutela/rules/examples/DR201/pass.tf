resource "google_sql_database_instance" "ehr" {
  name             = "ehr-ha"
  database_version = "POSTGRES_16"
  region           = "us-east4"

  settings {
    tier              = "db-custom-8-32768"
    availability_type = "REGIONAL"
  }
}
