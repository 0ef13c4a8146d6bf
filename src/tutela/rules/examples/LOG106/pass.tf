resource "azurerm_monitor_activity_log_alert" "nsg_write" {
  name                = "ala-nsg_write"
  resource_group_name = "rg-monitoring"
  location            = "global"
  scopes              = ["/subscriptions/00000000-0000-0000-0000-000000000000"]
  description         = "Network security group changes."

  criteria {
    category       = "Administrative"
    operation_name = "Microsoft.Network/networkSecurityGroups/write"
  }

  action {
    action_group_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-monitoring/providers/Microsoft.Insights/actionGroups/ag-security"
  }
}
