resource "azurerm_recovery_services_vault" "devtest" {
  name                = "rsv-devtest"
  location            = "eastus"
  resource_group_name = "rg-backup"
  sku                 = "Standard"
  storage_mode_type = "LocallyRedundant"
}
