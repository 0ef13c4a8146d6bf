resource "azurerm_container_registry" "ci" {
  name                = "acrci"
  resource_group_name = "rg-platform"
  location            = "eastus"
  sku                 = "Basic"
  admin_enabled       = true
}
