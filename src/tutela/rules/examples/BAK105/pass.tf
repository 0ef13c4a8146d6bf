resource "azurerm_postgresql_flexible_server" "audit" {
  name                = "psql-audit"
  resource_group_name = "rg-data"
  location            = "eastus"
  version             = "16"
  sku_name            = "GP_Standard_D2s_v3"
  geo_redundant_backup_enabled = true
  backup_retention_days        = 35

  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = false
  }
}
