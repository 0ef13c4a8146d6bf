resource "azurerm_network_security_group" "legacy_admin" {
  name                = "nsg-legacy-admin"
  location            = "eastus"
  resource_group_name = "rg-network"

  security_rule {
    name                       = "admin-anywhere"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_ranges    = ["22", "3389"]
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}
