# https_only is not set: the provider default (false) serves plain HTTP.

resource "azurerm_linux_web_app" "intake" {
  name                = "app-intake"
  resource_group_name = "rg-web"
  location            = "eastus"
  service_plan_id     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-web/providers/Microsoft.Web/serverFarms/asp-prod"

  site_config {
    always_on = true
  }
}
