resource "azurerm_mssql_server" "outreach" {
  name                = "sql-outreach"
  resource_group_name = "rg-data"
  location            = "eastus"
  version             = "12.0"

  azuread_administrator {
    login_username              = "sql-admins"
    object_id                   = "11111111-2222-3333-4444-555555555555"
    azuread_authentication_only = true
  }
}

resource "azurerm_mssql_server_extended_auditing_policy" "outreach" {
  server_id         = azurerm_mssql_server.outreach.id
  storage_endpoint  = "https://staudit.blob.core.windows.net/"
  retention_in_days = 30
}
