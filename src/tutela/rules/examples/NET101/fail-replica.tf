# The account lives in East US, but a geo-replica copies the data to Europe.
resource "azurerm_cosmosdb_account" "care_plans" {
  name                          = "cosmos-care-plans"
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

  geo_location {
    location          = "North Europe"
    failover_priority = 1
  }
}
