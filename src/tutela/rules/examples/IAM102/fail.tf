data "azurerm_subscription" "primary" {}

data "azuread_user" "cto" {
  user_principal_name = "cto@example.org"
}

resource "azurerm_role_assignment" "cto_owner" {
  scope              = data.azurerm_subscription.primary.id
  role_definition_id = "${data.azurerm_subscription.primary.id}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
  principal_id       = data.azuread_user.cto.object_id
}
