resource "azurerm_redis_cache" "queue" {
  name                = "redis-queue"
  location            = "eastus"
  resource_group_name = "rg-data"
  capacity            = 1
  family              = "C"
  sku_name            = "Basic"
  enable_non_ssl_port = true
  minimum_tls_version = "1.2"
}
