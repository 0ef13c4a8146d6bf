resource "azurerm_storage_account" "legacy_feed" {
  name                       = "stlegacyfeed"
  resource_group_name        = "rg-data"
  location                   = "eastus"
  account_tier               = "Standard"
  account_replication_type   = "LRS"
  https_traffic_only_enabled = false
}
