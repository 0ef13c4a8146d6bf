resource "azurerm_postgresql_flexible_server" "labs" {
  name                = "psql-labs-prod"
  resource_group_name = "rg-data"
  location            = "eastus"
  version             = "16"
  sku_name            = "GP_Standard_D2s_v3"

  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = false
  }
}

resource "azurerm_postgresql_flexible_server_configuration" "labs_tls" {
  name      = "require_secure_transport"
  server_id = azurerm_postgresql_flexible_server.labs.id
  value     = "on"
}
