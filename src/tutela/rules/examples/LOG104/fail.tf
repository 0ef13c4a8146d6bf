resource "azurerm_mssql_server" "staging" {
  name                = "sql-staging"
  resource_group_name = "rg-data"
  location            = "eastus"
  version             = "12.0"

  azuread_administrator {
    login_username              = "sql-admins"
    object_id                   = "11111111-2222-3333-4444-555555555555"
    azuread_authentication_only = true
  }
}
