resource "azurerm_role_assignment" "oncall_access_admin" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = "User Access Administrator"
  principal_id         = "99999999-8888-7777-6666-555555555555"
  principal_type       = "User"
}
