resource "azurerm_container_registry" "platform" {
  name                          = "acrplatformprod"
  resource_group_name           = "rg-platform"
  location                      = "eastus"
  sku                           = "Premium"
  admin_enabled                 = false
  public_network_access_enabled = false
}
