resource "azurerm_kubernetes_cluster" "edge" {
  name                = "aks-edge"
  location            = "eastus"
  resource_group_name = "rg-platform"
  dns_prefix          = "aks-edge"

  api_server_access_profile {
    authorized_ip_ranges = ["203.0.113.0/24", "198.51.100.16/28"]
  }

  default_node_pool {
    name       = "system"
    node_count = 3
    vm_size    = "Standard_D4s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}
