resource "azurerm_log_analytics_workspace" "security" {
  name                = "log-security-prod"
  location            = "eastus"
  resource_group_name = "rg-monitoring"
  sku                 = "PerGB2018"
  retention_in_days   = 365
}
