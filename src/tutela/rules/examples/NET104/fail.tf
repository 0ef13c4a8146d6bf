resource "azurerm_storage_account" "uploads" {
  name                     = "stuploadsprod"
  resource_group_name      = "rg-data"
  location                 = "eastus"
  account_tier             = "Standard"
  account_replication_type = "GRS"

  network_rules {
    default_action = "Allow"
  }
}
