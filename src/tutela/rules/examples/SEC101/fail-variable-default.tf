# A variable default is code too.
variable "kv_api_token" {
  type    = string
  default = "tok_live_8f3a9c2e71d04b6a"
}

resource "azurerm_key_vault_secret" "partner_api" {
  name            = "partner-api-token"
  value           = var.kv_api_token
  key_vault_id    = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-security/providers/Microsoft.KeyVault/vaults/kv-app-prod"
  expiration_date = "2026-12-31T00:00:00Z"
}
