resource "azurerm_kubernetes_cluster" "analytics" {
  name                = "aks-analytics"
  location            = "eastus"
  resource_group_name = "rg-platform"
  dns_prefix          = "aks-analytics"

  default_node_pool {
    name       = "system"
    node_count = 3
    vm_size    = "Standard_D4s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}
