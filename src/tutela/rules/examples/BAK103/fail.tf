resource "azurerm_recovery_services_vault" "scratch" {
  name                = "rsv-scratch"
  location            = "eastus"
  resource_group_name = "rg-backup"
  sku                 = "Standard"
  soft_delete_enabled = false
}
