resource "azurerm_recovery_services_vault" "records" {
  name                = "rsv-records"
  location            = "eastus"
  resource_group_name = "rg-backup"
  sku                 = "Standard"
  soft_delete_enabled = true
  immutability        = "Unlocked"
}
