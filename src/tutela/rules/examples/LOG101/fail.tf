# retention_in_days is not set: the workspace keeps 30 days.
resource "azurerm_log_analytics_workspace" "apps" {
  name                = "log-apps"
  location            = "eastus"
  resource_group_name = "rg-monitoring"
  sku                 = "PerGB2018"
}
