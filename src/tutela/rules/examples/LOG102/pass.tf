resource "azurerm_kubernetes_cluster" "ehr" {
  name                = "aks-ehr"
  location            = "eastus"
  resource_group_name = "rg-platform"
  dns_prefix          = "aks-ehr"

  default_node_pool {
    name           = "system"
    node_count     = 3
    vm_size        = "Standard_D4s_v5"
    vnet_subnet_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/aks-ehr"
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_monitor_diagnostic_setting" "ehr_aks" {
  name                       = "aks-ehr-audit"
  target_resource_id         = azurerm_kubernetes_cluster.ehr.id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/log-security-prod"

  enabled_log {
    category = "kube-audit-admin"
  }

  enabled_log {
    category = "kube-apiserver"
  }
}
