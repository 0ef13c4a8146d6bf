resource "azurerm_kubernetes_cluster" "lab" {
  name                              = "aks-lab"
  location                          = "eastus"
  resource_group_name               = "rg-lab"
  dns_prefix                        = "aks-lab"
  role_based_access_control_enabled = false

  default_node_pool {
    name       = "system"
    node_count = 1
    vm_size    = "Standard_D2s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}
