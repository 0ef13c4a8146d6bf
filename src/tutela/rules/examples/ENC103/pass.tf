resource "azurerm_storage_account" "records" {
  name                              = "strecordsprod"
  resource_group_name               = "rg-data"
  location                          = "eastus"
  account_tier                      = "Standard"
  account_replication_type          = "GRS"
  infrastructure_encryption_enabled = true

  tags = {
    data_classification = "ephi"
  }
}
