resource "azurerm_mssql_database" "claims" {
  name      = "sqldb-claims"
  server_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data/providers/Microsoft.Sql/servers/sql-claims-prod"
  sku_name  = "GP_Gen5_4"
}
