resource "google_sql_database_instance" "pharmacy" {
  name             = "pharmacy"
  database_version = "SQLSERVER_2022_STANDARD"
  region           = "us-east4"
  root_password    = var.sqlserver_root_password

  settings {
    tier = "db-custom-4-15360"
  }
}

variable "sqlserver_root_password" {
  type      = string
  sensitive = true
  default   = null
}
