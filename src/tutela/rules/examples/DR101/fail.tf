resource "azurerm_mssql_database" "scratch" {
  name                 = "sqldb-scratch"
  server_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data/providers/Microsoft.Sql/servers/sql-eligibility"
  sku_name             = "GP_Gen5_2"
  storage_account_type = "Local"
}
