data "azurerm_subscription" "current" {}

resource "azuread_group" "platform_owners" {
  display_name     = "platform-owners"
  security_enabled = true
}

resource "azurerm_role_assignment" "platform_owners" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Owner"
  principal_id         = azuread_group.platform_owners.object_id
}
