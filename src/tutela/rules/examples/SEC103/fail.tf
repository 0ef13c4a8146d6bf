resource "azurerm_linux_web_app" "referrals" {
  name                = "app-referrals"
  resource_group_name = "rg-web"
  location            = "eastus"
  service_plan_id     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-web/providers/Microsoft.Web/serverFarms/asp-prod"
  https_only          = true

  app_settings = {
    DB_PASSWORD   = "R3ferrals-Prod-2024"
    STORAGE_CONN  = "DefaultEndpointsProtocol=https;AccountName=streferrals;AccountKey=c2VjcmV0LWtleS12YWx1ZS0xMjM0NTY3ODkw;EndpointSuffix=core.windows.net"
    FEATURE_FLAGS = "new-intake"
  }

  site_config {}
}
