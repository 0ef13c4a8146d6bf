resource "azurerm_kubernetes_cluster" "sandbox" {
  name                = "aks-sandbox"
  location            = "eastus"
  resource_group_name = "rg-platform"
  dns_prefix          = "aks-sandbox"

  default_node_pool {
    name       = "system"
    node_count = 1
    vm_size    = "Standard_D2s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}
