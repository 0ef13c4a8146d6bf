resource "azurerm_mysql_flexible_server" "survey" {
  name                         = "mysql-survey"
  resource_group_name          = "rg-data"
  location                     = "eastus"
  sku_name                     = "B_Standard_B1ms"
  administrator_login          = "survey"
  administrator_password       = var.survey_db_password
  backup_retention_days        = 3
  geo_redundant_backup_enabled = true
}

variable "survey_db_password" {
  type      = string
  sensitive = true
}
