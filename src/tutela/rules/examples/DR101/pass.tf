resource "azurerm_mssql_database" "eligibility" {
  name                 = "sqldb-eligibility"
  server_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data/providers/Microsoft.Sql/servers/sql-eligibility"
  sku_name             = "BC_Gen5_4"
  storage_account_type = "GeoZone"
}
