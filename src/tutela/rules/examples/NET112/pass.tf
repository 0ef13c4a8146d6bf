resource "azurerm_kubernetes_cluster" "internal" {
  name                    = "aks-internal"
  location                = "eastus"
  resource_group_name     = "rg-platform"
  dns_prefix              = "aks-internal"
  private_cluster_enabled = true

  default_node_pool {
    name       = "system"
    node_count = 3
    vm_size    = "Standard_D4s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}
