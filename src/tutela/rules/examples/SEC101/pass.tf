resource "random_password" "sql_admin" {
  length  = 32
  special = true
}

resource "azurerm_mssql_server" "referrals" {
  name                         = "sql-referrals-prod"
  resource_group_name          = "rg-data"
  location                     = "eastus"
  version                      = "12.0"
  administrator_login          = "referrals"
  administrator_login_password = random_password.sql_admin.result
}
