# SSH only from the Azure Bastion subnet; RDP denied from the internet.
resource "azurerm_network_security_group" "jump" {
  name                = "nsg-jump"
  location            = "eastus"
  resource_group_name = "rg-network"

  security_rule {
    name                       = "ssh-from-bastion"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "10.0.250.0/26"
    destination_address_prefix = "VirtualNetwork"
  }
}

resource "azurerm_network_security_rule" "jump_https" {
  name                        = "https-from-internet"
  priority                    = 110
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "443"
  source_address_prefix       = "Internet"
  destination_address_prefix  = "*"
  resource_group_name         = "rg-network"
  network_security_group_name = azurerm_network_security_group.jump.name
}
