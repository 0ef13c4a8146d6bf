resource "azurerm_postgresql_flexible_server" "legacy_etl" {
  name                = "psql-legacy-etl"
  resource_group_name = "rg-data"
  location            = "eastus"
  version             = "13"
  sku_name            = "GP_Standard_D2s_v3"

  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = false
  }
}

resource "azurerm_postgresql_flexible_server_configuration" "legacy_etl_tls" {
  name      = "require_secure_transport"
  server_id = azurerm_postgresql_flexible_server.legacy_etl.id
  value     = "off"
}
