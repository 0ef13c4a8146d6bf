resource "google_sql_database_instance" "referrals" {
  name             = "referrals"
  database_version = "MYSQL_8_0"
  region           = "us-east4"

  settings {
    tier = "db-n1-standard-2"
    user_labels = {
      data_classification = "phi"
    }
  }
}
