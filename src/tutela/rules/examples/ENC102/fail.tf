resource "azurerm_storage_account" "fax_inbox" {
  name                     = "stfaxinbox"
  resource_group_name      = "rg-data"
  location                 = "eastus"
  account_tier             = "Standard"
  account_replication_type = "GRS"
  min_tls_version          = "TLS1_0"
}
