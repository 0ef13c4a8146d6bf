resource "azurerm_storage_account" "imaging" {
  name                     = "stimagingprod"
  resource_group_name      = "rg-data"
  location                 = "eastus"
  account_tier             = "Standard"
  account_replication_type = "GRS"

  tags = {
    DataClassification = "PHI"
  }
}
