resource "azurerm_mssql_database" "warehouse" {
  name                                = "sqldw-warehouse"
  server_id                           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data/providers/Microsoft.Sql/servers/sql-warehouse"
  sku_name                            = "DW100c"
  transparent_data_encryption_enabled = false
}
