resource "azurerm_kubernetes_cluster" "claims" {
  name                   = "aks-claims"
  location               = "eastus"
  resource_group_name    = "rg-platform"
  dns_prefix             = "aks-claims"
  local_account_disabled = true

  azure_active_directory_role_based_access_control {
    azure_rbac_enabled     = true
    admin_group_object_ids = ["11111111-2222-3333-4444-555555555555"]
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
