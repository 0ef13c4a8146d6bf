resource "azurerm_key_vault_key" "archive" {
  name         = "archive-cmk"
  key_vault_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-security/providers/Microsoft.KeyVault/vaults/kv-keys-prod"
  key_type     = "RSA-HSM"
  key_size     = 3072
  key_opts     = ["wrapKey", "unwrapKey"]
  expiration_date = "2027-06-30T00:00:00Z"
}
