resource "random_password" "etl" {
  length = 40
}

resource "azurerm_key_vault_secret" "etl_db" {
  name         = "etl-db-password"
  value        = random_password.etl.result
  key_vault_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-security/providers/Microsoft.KeyVault/vaults/kv-app-prod"
}
