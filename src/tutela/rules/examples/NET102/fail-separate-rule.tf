# The exposure comes from a rule declared as its own resource.
resource "azurerm_network_security_group" "ops" {
  name                = "nsg-ops"
  location            = "eastus"
  resource_group_name = "rg-ops"
}

resource "azurerm_network_security_rule" "ops_rdp" {
  name                        = "rdp"
  priority                    = 200
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "3000-4000"
  source_address_prefix       = "Internet"
  destination_address_prefix  = "*"
  resource_group_name         = "rg-ops"
  network_security_group_name = azurerm_network_security_group.ops.name
}
