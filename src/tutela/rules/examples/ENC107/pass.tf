resource "azurerm_postgresql_server" "billing" {
  name                             = "psql-billing"
  resource_group_name              = "rg-data"
  location                         = "eastus"
  sku_name                         = "GP_Gen5_4"
  version                          = "11"
  administrator_login              = "billing"
  administrator_login_password     = var.billing_db_password
  ssl_enforcement_enabled          = true
  ssl_minimal_tls_version_enforced = "TLS1_2"
}

variable "billing_db_password" {
  type      = string
  sensitive = true
}
