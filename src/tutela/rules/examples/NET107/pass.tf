resource "azurerm_postgresql_flexible_server" "records" {
  name                          = "psql-records-prod"
  resource_group_name           = "rg-data"
  location                      = "eastus"
  version                       = "16"
  sku_name                      = "GP_Standard_D4s_v3"
  delegated_subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/postgres"
  private_dns_zone_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-network/providers/Microsoft.Network/privateDnsZones/records.postgres.database.azure.com"
  public_network_access_enabled = false

  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = false
  }
}
