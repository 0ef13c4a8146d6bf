resource "azurerm_network_security_group" "data" {
  name                = "nsg-data"
  location            = "eastus"
  resource_group_name = "rg-data"

  security_rule {
    name                       = "postgres-from-app"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "5432"
    source_address_prefix      = "10.0.1.0/24"
    destination_address_prefix = "10.0.2.0/24"
  }
}
