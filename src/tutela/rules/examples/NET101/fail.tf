# A replica of the claims data placed outside the approved US regions.
resource "azurerm_storage_account" "claims_replica" {
  name                     = "stclaimsreplica"
  resource_group_name      = "rg-claims-dr"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}
