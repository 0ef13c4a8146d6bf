resource "azurerm_container_registry" "builds" {
  name                = "acrbuilds"
  resource_group_name = "rg-platform"
  location            = "eastus"
  sku                 = "Standard"
}
