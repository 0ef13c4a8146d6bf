resource "random_password" "reporting" {
  length = 40
}

resource "azurerm_key_vault_secret" "reporting_db" {
  name            = "reporting-db-password"
  value           = random_password.reporting.result
  key_vault_id    = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-security/providers/Microsoft.KeyVault/vaults/kv-app-prod"
  content_type    = "password"
  expiration_date = "2026-12-31T00:00:00Z"
}
