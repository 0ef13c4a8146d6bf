resource "azurerm_key_vault" "team" {
  name                      = "kv-team"
  location                  = "eastus"
  resource_group_name       = "rg-security"
  tenant_id                 = "00000000-0000-0000-0000-000000000000"
  sku_name                  = "standard"
  enable_rbac_authorization = true
}
