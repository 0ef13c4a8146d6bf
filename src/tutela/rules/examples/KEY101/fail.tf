# purge_protection_enabled is not set: the provider default (false) applies.

resource "azurerm_key_vault" "scratch" {
  name                       = "kv-scratch"
  location                   = "eastus"
  resource_group_name        = "rg-security"
  tenant_id                  = "00000000-0000-0000-0000-000000000000"
  sku_name                   = "premium"
  rbac_authorization_enabled = true

  network_acls {
    default_action = "Deny"
    bypass         = "AzureServices"
  }
}
