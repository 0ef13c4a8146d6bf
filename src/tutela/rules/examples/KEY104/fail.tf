resource "azurerm_storage_account" "lab_results" {
  name                     = "stlabresults"
  resource_group_name      = "rg-data"
  location                 = "eastus"
  account_tier             = "Standard"
  account_replication_type = "GRS"

  tags = {
    data_classification = "ephi"
  }
}
