resource "azurerm_kubernetes_cluster" "clinical" {
  name                = "aks-clinical"
  location            = "eastus"
  resource_group_name = "rg-platform"
  dns_prefix          = "aks-clinical"

  network_profile {
    network_plugin = "azure"
    network_policy = "azure"
  }

  default_node_pool {
    name           = "system"
    node_count     = 3
    vm_size        = "Standard_D4s_v5"
    vnet_subnet_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/aks-clinical"
  }

  identity {
    type = "SystemAssigned"
  }
}
