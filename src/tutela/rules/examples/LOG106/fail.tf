resource "azurerm_monitor_activity_log_alert" "nsg_write_silent" {
  name                = "ala-nsg_write_silent"
  resource_group_name = "rg-monitoring"
  location            = "global"
  scopes              = ["/subscriptions/00000000-0000-0000-0000-000000000000"]
  description         = "Network security group changes."

  criteria {
    category       = "Administrative"
    operation_name = "Microsoft.Network/networkSecurityGroups/write"
  }
}
