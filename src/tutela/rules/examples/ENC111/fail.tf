resource "azurerm_linux_web_app" "uploads" {
  name                = "app-uploads"
  resource_group_name = "rg-web"
  location            = "eastus"
  service_plan_id     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-web/providers/Microsoft.Web/serverFarms/asp-prod"
  https_only          = true

  site_config {
    ftps_state = "AllAllowed"
  }
}
