resource "azurerm_mssql_server" "encounters" {
  name                = "sql-encounters"
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
