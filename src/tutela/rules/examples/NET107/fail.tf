resource "azurerm_mysql_flexible_server" "scheduling" {
  name                   = "mysql-scheduling"
  resource_group_name    = "rg-data"
  location               = "eastus"
  sku_name               = "GP_Standard_D2ds_v4"
  administrator_login    = "scheduler"
  administrator_password = var.scheduling_db_password
}

variable "scheduling_db_password" {
  type      = string
  sensitive = true
}
