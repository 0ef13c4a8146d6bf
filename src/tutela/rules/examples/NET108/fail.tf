resource "azurerm_postgresql_flexible_server_firewall_rule" "everyone" {
  name             = "allow-all"
  server_id        = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-analytics"
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}
