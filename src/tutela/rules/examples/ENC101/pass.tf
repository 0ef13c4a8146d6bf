resource "azurerm_storage_account" "images" {
  name                       = "stimagesprod"
  resource_group_name        = "rg-data"
  location                   = "eastus"
  account_tier               = "Standard"
  account_replication_type   = "GRS"
  https_traffic_only_enabled = true
}
