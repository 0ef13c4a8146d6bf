resource "azurerm_mysql_flexible_server" "portal" {
  name                   = "mysql-portal"
  resource_group_name    = "rg-data"
  location               = "eastus"
  sku_name               = "GP_Standard_D2ds_v4"
  administrator_login    = "portal"
  administrator_password = var.portal_db_password
}

resource "azurerm_mysql_flexible_server_configuration" "portal_tls" {
  name                = "tls_version"
  resource_group_name = "rg-data"
  server_name         = azurerm_mysql_flexible_server.portal.name
  value               = "TLSv1.1,TLSv1.2"
}

variable "portal_db_password" {
  type      = string
  sensitive = true
}
