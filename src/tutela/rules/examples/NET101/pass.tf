# Everything in an approved US region; display names are normalized ("East US 2").
resource "azurerm_resource_group" "claims" {
  name     = "rg-claims-prod"
  location = "East US 2"
}

resource "azurerm_storage_account" "claims" {
  name                     = "stclaimsprod"
  resource_group_name      = azurerm_resource_group.claims.name
  location                 = azurerm_resource_group.claims.location
  account_tier             = "Standard"
  account_replication_type = "GRS"
}
