resource "azurerm_cosmosdb_account" "profiles" {
  name                          = "cosmos-profiles-prod"
  location                      = "eastus"
  resource_group_name           = "rg-data"
  offer_type                    = "Standard"
  public_network_access_enabled = false

  consistency_policy {
    consistency_level = "Session"
  }

  geo_location {
    location          = "eastus"
    failover_priority = 0
  }
}
