# allow_nested_items_to_be_public is not set: the provider default (true) applies.
resource "azurerm_storage_account" "scans" {
  name                     = "stscansprod"
  resource_group_name      = "rg-data"
  location                 = "eastus"
  account_tier             = "Standard"
  account_replication_type = "GRS"
}
