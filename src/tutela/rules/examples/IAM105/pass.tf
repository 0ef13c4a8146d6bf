resource "azurerm_container_registry" "apps" {
  name                = "acrappsprod"
  resource_group_name = "rg-platform"
  location            = "eastus"
  sku                 = "Premium"
  admin_enabled       = false
}
