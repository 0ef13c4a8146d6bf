resource "azurerm_storage_account" "documents" {
  name                            = "stdocumentsprod"
  resource_group_name             = "rg-data"
  location                        = "eastus"
  account_tier                    = "Standard"
  account_replication_type        = "GRS"
  allow_nested_items_to_be_public = false
}
