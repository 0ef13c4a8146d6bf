resource "azurerm_mysql_server" "intake" {
  name                         = "mysql-intake"
  resource_group_name          = "rg-data"
  location                     = "eastus"
  sku_name                     = "GP_Gen5_2"
  version                      = "8.0"
  administrator_login          = "intake"
  administrator_login_password = var.intake_db_password
  ssl_enforcement_enabled      = false
}

variable "intake_db_password" {
  type      = string
  sensitive = true
}
