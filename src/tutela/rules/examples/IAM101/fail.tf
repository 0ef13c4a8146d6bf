data "azurerm_subscription" "primary" {}

resource "azurerm_role_definition" "platform_admin" {
  name  = "Platform Admin"
  scope = data.azurerm_subscription.primary.id

  permissions {
    actions     = ["*"]
    not_actions = ["Microsoft.Authorization/*/Delete"]
  }

  assignable_scopes = [data.azurerm_subscription.primary.id]
}
