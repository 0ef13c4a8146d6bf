resource "azurerm_windows_function_app" "fax_ingest" {
  name                       = "func-fax-ingest"
  resource_group_name        = "rg-web"
  location                   = "eastus"
  service_plan_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-web/providers/Microsoft.Web/serverFarms/asp-functions"
  storage_account_name       = "stfaxfunctions"
  storage_account_access_key = var.fax_storage_key
  https_only                 = true

  site_config {
    minimum_tls_version = "1.0"
  }
}

variable "fax_storage_key" {
  type      = string
  sensitive = true
}
