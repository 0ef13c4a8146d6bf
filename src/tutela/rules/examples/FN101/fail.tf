resource "azurerm_windows_web_app" "intranet" {
  name                = "app-intranet"
  resource_group_name = "rg-web"
  location            = "eastus"
  service_plan_id     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-web/providers/Microsoft.Web/serverFarms/asp-windows"
  https_only          = true

  site_config {}
}
