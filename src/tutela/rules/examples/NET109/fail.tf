resource "azurerm_cosmosdb_account" "sessions" {
  name                = "cosmos-sessions"
  location            = "eastus"
  resource_group_name = "rg-data"
  offer_type          = "Standard"

  consistency_policy {
    consistency_level = "Session"
  }

  geo_location {
    location          = "eastus"
    failover_priority = 0
  }
}
