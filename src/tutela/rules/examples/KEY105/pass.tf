resource "azurerm_mssql_server" "claims" {
  name                = "sql-claims-prod"
  resource_group_name = "rg-data"
  location            = "eastus"
  version             = "12.0"

  identity {
    type = "SystemAssigned"
  }

  azuread_administrator {
    login_username              = "sql-admins"
    object_id                   = "11111111-2222-3333-4444-555555555555"
    azuread_authentication_only = true
  }

  tags = {
    data_classification = "ephi"
  }
}

resource "azurerm_mssql_server_transparent_data_encryption" "claims" {
  server_id        = azurerm_mssql_server.claims.id
  key_vault_key_id = "https://kv-keys-prod.vault.azure.net/keys/claims-tde/0123456789abcdef0123456789abcdef"
}
