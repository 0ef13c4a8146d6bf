resource "azurerm_mssql_firewall_rule" "office" {
  name             = "office-egress"
  server_id        = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data/providers/Microsoft.Sql/servers/sql-billing-prod"
  start_ip_address = "203.0.113.10"
  end_ip_address   = "203.0.113.14"
}
