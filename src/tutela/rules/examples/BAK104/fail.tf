resource "azurerm_postgresql_flexible_server" "notes" {
  name                = "psql-notes"
  resource_group_name = "rg-data"
  location            = "eastus"
  version             = "16"
  sku_name            = "GP_Standard_D2s_v3"
  backup_retention_days = 14

  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = false
  }
}
