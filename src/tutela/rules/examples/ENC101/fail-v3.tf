# azurerm v3 spelling of the same setting.
resource "azurerm_storage_account" "old_feed" {
  name                      = "stoldfeed"
  resource_group_name       = "rg-data"
  location                  = "eastus"
  account_tier              = "Standard"
  account_replication_type  = "LRS"
  enable_https_traffic_only = false
}
