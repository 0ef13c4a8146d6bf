resource "azurerm_recovery_services_vault" "clinical" {
  name                = "rsv-clinical"
  location            = "eastus"
  resource_group_name = "rg-backup"
  sku                 = "Standard"
  storage_mode_type            = "GeoRedundant"
  cross_region_restore_enabled = true
}
