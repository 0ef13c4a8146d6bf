resource "azurerm_network_security_group" "reporting" {
  name                = "nsg-reporting"
  location            = "eastus"
  resource_group_name = "rg-reporting"
}

resource "azurerm_network_security_rule" "reporting_sql" {
  name                        = "sql-for-analysts"
  priority                    = 120
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "1433"
  source_address_prefixes     = ["0.0.0.0/0"]
  destination_address_prefix  = "*"
  resource_group_name         = "rg-reporting"
  network_security_group_name = azurerm_network_security_group.reporting.name
}
