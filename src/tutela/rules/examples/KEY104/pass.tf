resource "azurerm_user_assigned_identity" "records_storage" {
  name                = "id-records-storage"
  location            = "eastus"
  resource_group_name = "rg-data"
}

resource "azurerm_storage_account" "records" {
  name                     = "strecordscmk"
  resource_group_name      = "rg-data"
  location                 = "eastus"
  account_tier             = "Standard"
  account_replication_type = "GRS"

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.records_storage.id]
  }

  tags = {
    data_classification = "ephi"
  }

  lifecycle {
    ignore_changes = [customer_managed_key]
  }
}

resource "azurerm_storage_account_customer_managed_key" "records" {
  storage_account_id        = azurerm_storage_account.records.id
  key_vault_id              = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-security/providers/Microsoft.KeyVault/vaults/kv-keys-prod"
  key_name                  = "records-cmk"
  user_assigned_identity_id = azurerm_user_assigned_identity.records_storage.id
}
