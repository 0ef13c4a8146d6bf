variable "resource_group_name" { type = string }
variable "location" { type = string }
variable "tenant_id" { type = string }
variable "data_subnet_id" { type = string }
variable "postgres_subnet_id" { type = string }
variable "workspace_id" { type = string }
variable "tags" { type = map(string) }
variable "allowed_cidrs" {
  type    = list(string)
  default = []
}

variable "containers" {
  type = map(object({
    replication = optional(string, "GZRS")
    soft_delete = optional(number, 30)
  }))
  default = {
    records = {}
    imaging = { soft_delete = 90 }
    exports = { replication = "RAGZRS" }
  }
}

# --- keys -----------------------------------------------------------------------------------

resource "azurerm_key_vault" "data" {
  name                       = "kv-data-prod"
  location                   = var.location
  resource_group_name        = var.resource_group_name
  tenant_id                  = var.tenant_id
  sku_name                   = "premium"
  purge_protection_enabled   = true
  soft_delete_retention_days = 30
  rbac_authorization_enabled = true
  tags                       = var.tags

  network_acls {
    default_action             = "Deny"
    bypass                     = "AzureServices"
    ip_rules                   = var.allowed_cidrs
    virtual_network_subnet_ids = [var.data_subnet_id]
  }
}

resource "azurerm_monitor_diagnostic_setting" "key_vault" {
  name                       = "kv-data-audit"
  target_resource_id         = azurerm_key_vault.data.id
  log_analytics_workspace_id = var.workspace_id

  enabled_log {
    category = "AuditEvent"
  }

  enabled_metric {
    category = "AllMetrics"
  }
}

resource "azurerm_key_vault_key" "cmk" {
  for_each     = toset(["storage", "tde"])
  name         = "cmk-${each.key}"
  key_vault_id = azurerm_key_vault.data.id
  key_type     = "RSA-HSM"
  key_size     = 3072
  key_opts     = ["wrapKey", "unwrapKey"]

  rotation_policy {
    expire_after         = "P1Y"
    notify_before_expiry = "P30D"

    automatic {
      time_before_expiry = "P30D"
    }
  }
}

resource "random_password" "db_admin" {
  length           = 40
  special          = true
  override_special = "!#%*()-_=+[]{}"
}

resource "azurerm_key_vault_secret" "db_admin" {
  name            = "sql-admin-password"
  value           = random_password.db_admin.result
  key_vault_id    = azurerm_key_vault.data.id
  content_type    = "password"
  expiration_date = "2026-12-31T00:00:00Z"
}

# --- storage --------------------------------------------------------------------------------

resource "azurerm_user_assigned_identity" "storage" {
  name                = "id-storage-cmk"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_storage_account" "data" {
  for_each                          = var.containers
  name                              = "stdata${each.key}prod"
  resource_group_name               = var.resource_group_name
  location                          = var.location
  account_tier                      = "Standard"
  account_replication_type          = each.value.replication
  allow_nested_items_to_be_public   = false
  infrastructure_encryption_enabled = true
  shared_access_key_enabled         = false
  tags                              = var.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.storage.id]
  }

  blob_properties {
    versioning_enabled  = true
    change_feed_enabled = true

    delete_retention_policy {
      days = each.value.soft_delete
    }

    container_delete_retention_policy {
      days = each.value.soft_delete
    }
  }

  lifecycle {
    ignore_changes = [customer_managed_key]
  }
}

resource "azurerm_storage_account_network_rules" "data" {
  for_each                   = azurerm_storage_account.data
  storage_account_id         = each.value.id
  default_action             = "Deny"
  bypass                     = ["AzureServices", "Logging", "Metrics"]
  ip_rules                   = var.allowed_cidrs
  virtual_network_subnet_ids = [var.data_subnet_id]
}

resource "azurerm_storage_account_customer_managed_key" "data" {
  for_each                  = azurerm_storage_account.data
  storage_account_id        = each.value.id
  key_vault_id              = azurerm_key_vault.data.id
  key_name                  = azurerm_key_vault_key.cmk["storage"].name
  user_assigned_identity_id = azurerm_user_assigned_identity.storage.id
}

# --- Azure SQL ------------------------------------------------------------------------------

resource "azuread_group" "sql_admins" {
  display_name     = "sql-admins"
  security_enabled = true
}

resource "azurerm_mssql_server" "claims" {
  name                          = "sql-claims-prod"
  resource_group_name           = var.resource_group_name
  location                      = var.location
  version                       = "12.0"
  administrator_login           = "claimsadmin"
  administrator_login_password  = azurerm_key_vault_secret.db_admin.value
  minimum_tls_version           = "1.2"
  public_network_access_enabled = false
  tags                          = var.tags

  identity {
    type = "SystemAssigned"
  }

  azuread_administrator {
    login_username = azuread_group.sql_admins.display_name
    object_id      = azuread_group.sql_admins.object_id
  }
}

resource "azurerm_mssql_server_transparent_data_encryption" "claims" {
  server_id        = azurerm_mssql_server.claims.id
  key_vault_key_id = azurerm_key_vault_key.cmk["tde"].id
}

resource "azurerm_mssql_server_extended_auditing_policy" "claims" {
  server_id              = azurerm_mssql_server.claims.id
  log_monitoring_enabled = true
}

resource "azurerm_mssql_database" "claims" {
  name        = "sqldb-claims"
  server_id   = azurerm_mssql_server.claims.id
  sku_name    = "BC_Gen5_4"
  max_size_gb = 256
  tags        = var.tags

  short_term_retention_policy {
    retention_days = 35
  }
}

# The office egress range, for break-glass access through the private endpoint's DNS.
resource "azurerm_mssql_firewall_rule" "office" {
  for_each         = { for i, cidr in var.allowed_cidrs : tostring(i) => cidr }
  name             = "office-${each.key}"
  server_id        = azurerm_mssql_server.claims.id
  start_ip_address = cidrhost(each.value, 0)
  end_ip_address   = cidrhost(each.value, -1)
}

# --- PostgreSQL -----------------------------------------------------------------------------

resource "azurerm_private_dns_zone" "postgres" {
  name                = "records.postgres.database.azure.com"
  resource_group_name = var.resource_group_name
}

resource "azurerm_postgresql_flexible_server" "records" {
  name                          = "psql-records-prod"
  resource_group_name           = var.resource_group_name
  location                      = var.location
  version                       = "16"
  sku_name                      = "GP_Standard_D4ds_v5"
  delegated_subnet_id           = var.postgres_subnet_id
  private_dns_zone_id           = azurerm_private_dns_zone.postgres.id
  public_network_access_enabled = false
  geo_redundant_backup_enabled  = true
  backup_retention_days         = 35
  tags                          = var.tags

  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = false
    tenant_id                     = var.tenant_id
  }
}

resource "azurerm_postgresql_flexible_server_configuration" "tls" {
  for_each = {
    require_secure_transport = "on"
    ssl_min_protocol_version = "TLSv1.3"
    log_connections          = "on"
  }
  name      = each.key
  server_id = azurerm_postgresql_flexible_server.records.id
  value     = each.value
}

output "key_vault_id" {
  value = azurerm_key_vault.data.id
}

output "db_secret_uri" {
  value = azurerm_key_vault_secret.db_admin.versionless_id
}
