resource "azurerm_linux_function_app" "claims_ingest" {
  name                          = "func-claims-ingest"
  resource_group_name           = "rg-web"
  location                      = "eastus"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-web/providers/Microsoft.Web/serverFarms/asp-functions"
  storage_account_name          = "stclaimsfunc"
  storage_uses_managed_identity = true
  https_only                    = true

  identity {
    type = "SystemAssigned"
  }

  app_settings = {
    FUNCTIONS_WORKER_RUNTIME = "python"
    DB_PASSWORD              = "@Microsoft.KeyVault(SecretUri=https://kv-app-prod.vault.azure.net/secrets/claims-db/)"
    CLAIMS_QUEUE_NAME        = "claims-inbound"
  }

  site_config {}
}
