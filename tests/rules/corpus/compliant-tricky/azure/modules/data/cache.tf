# Session cache and patient-preferences store, both reachable only privately.

resource "azurerm_redis_cache" "sessions" {
  name                          = "redis-sessions-prod"
  location                      = var.location
  resource_group_name           = var.resource_group_name
  capacity                      = 1
  family                        = "P"
  sku_name                      = "Premium"
  non_ssl_port_enabled          = false
  minimum_tls_version           = "1.2"
  public_network_access_enabled = false
  tags                          = var.tags
}

resource "azurerm_cosmosdb_account" "preferences" {
  name                              = "cosmos-preferences-prod"
  location                          = var.location
  resource_group_name               = var.resource_group_name
  offer_type                        = "Standard"
  is_virtual_network_filter_enabled = true
  ip_range_filter                   = var.allowed_cidrs
  local_authentication_disabled     = true
  key_vault_key_id                  = azurerm_key_vault_key.cmk["storage"].versionless_id
  tags                              = var.tags

  consistency_policy {
    consistency_level = "Session"
  }

  geo_location {
    location          = var.location
    failover_priority = 0
  }

  virtual_network_rule {
    id = var.data_subnet_id
  }
}

resource "azurerm_disk_encryption_set" "ephi" {
  name                = "des-ephi"
  resource_group_name = var.resource_group_name
  location            = var.location
  key_vault_key_id    = azurerm_key_vault_key.cmk["storage"].versionless_id

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_managed_disk" "imaging_cache" {
  name                   = "disk-imaging-cache"
  location               = var.location
  resource_group_name    = var.resource_group_name
  storage_account_type   = "Premium_ZRS"
  create_option          = "Empty"
  disk_size_gb           = 512
  disk_encryption_set_id = azurerm_disk_encryption_set.ephi.id
  tags                   = var.tags
}
