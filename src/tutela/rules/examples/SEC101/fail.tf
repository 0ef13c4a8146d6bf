resource "azurerm_windows_virtual_machine" "fax_server" {
  name                  = "vm-fax"
  resource_group_name   = "rg-compute"
  location              = "eastus"
  size                  = "Standard_D2s_v5"
  admin_username        = "faxadmin"
  admin_password        = "Winter2024!Fax"
  network_interface_ids = ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-compute/providers/Microsoft.Network/networkInterfaces/nic-fax"]

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }

  source_image_reference {
    publisher = "MicrosoftWindowsServer"
    offer     = "WindowsServer"
    sku       = "2022-datacenter-azure-edition"
    version   = "latest"
  }
}
