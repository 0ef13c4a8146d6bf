resource "azurerm_linux_function_app" "eligibility" {
  name                          = "func-eligibility"
  resource_group_name           = "rg-web"
  location                      = "eastus"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-web/providers/Microsoft.Web/serverFarms/asp-functions"
  storage_account_name          = "steligibilityfunc"
  storage_uses_managed_identity = true
  https_only                    = true

  identity {
    type = "SystemAssigned"
  }

  site_config {}
}
