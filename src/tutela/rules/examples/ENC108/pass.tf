resource "azurerm_redis_cache" "sessions" {
  name                 = "redis-sessions-prod"
  location             = "eastus"
  resource_group_name  = "rg-data"
  capacity             = 1
  family               = "C"
  sku_name             = "Standard"
  non_ssl_port_enabled = false
  minimum_tls_version  = "1.2"
}
