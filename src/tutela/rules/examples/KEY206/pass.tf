resource "google_sql_database_instance" "ehr" {
  name                = "ehr-primary"
  database_version    = "POSTGRES_16"
  region              = "us-east4"
  encryption_key_name = "projects/acme-clinical-prod/locations/us-east4/keyRings/clinical/cryptoKeys/sql"

  settings {
    tier = "db-custom-8-32768"
    user_labels = {
      data_classification = "ephi"
    }
  }
}
