# minimum_tls_version is not set: the provider default is "1.0".
resource "azurerm_redis_cache" "cache" {
  name                = "redis-cache"
  location            = "eastus"
  resource_group_name = "rg-data"
  capacity            = 1
  family              = "C"
  sku_name            = "Standard"
}
