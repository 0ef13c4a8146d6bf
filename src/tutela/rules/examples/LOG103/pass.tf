resource "azurerm_key_vault" "payments" {
  name                       = "kv-payments"
  location                   = "eastus"
  resource_group_name        = "rg-security"
  tenant_id                  = "00000000-0000-0000-0000-000000000000"
  sku_name                   = "standard"
  purge_protection_enabled   = true
  rbac_authorization_enabled = true
}

resource "azurerm_monitor_diagnostic_setting" "payments" {
  name                       = "kv-payments-logs"
  target_resource_id         = azurerm_key_vault.payments.id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/log-security-prod"

  enabled_log {
    category_group = "audit"
  }

}
