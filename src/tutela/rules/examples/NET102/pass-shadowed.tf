# A broad allow is shadowed by a higher-priority deny of SSH from the internet.
resource "azurerm_network_security_group" "edge" {
  name                = "nsg-edge"
  location            = "eastus"
  resource_group_name = "rg-edge"

  security_rule {
    name                       = "deny-ssh-internet"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_ranges    = ["22", "23", "3389", "5985-5986"]
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }

  security_rule {
    name                       = "allow-high-ports"
    priority                   = 300
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }
}
