resource "azurerm_mssql_server" "warehouse" {
  name                         = "sql-warehouse"
  resource_group_name          = "rg-data"
  location                     = "eastus"
  version                      = "12.0"
  administrator_login          = "dwadmin"
  administrator_login_password = var.warehouse_admin_password
}

variable "warehouse_admin_password" {
  type      = string
  sensitive = true
}
