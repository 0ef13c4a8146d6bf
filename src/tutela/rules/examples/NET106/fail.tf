resource "azurerm_mssql_server" "legacy_billing" {
  name                         = "sql-legacy-billing"
  resource_group_name          = "rg-data"
  location                     = "eastus"
  version                      = "12.0"
  administrator_login          = "billingadmin"
  administrator_login_password = var.legacy_billing_password
}

variable "legacy_billing_password" {
  type      = string
  sensitive = true
}
