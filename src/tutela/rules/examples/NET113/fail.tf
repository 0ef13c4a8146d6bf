resource "azurerm_linux_virtual_machine" "legacy_app" {
  name                            = "vm-legacy-app"
  resource_group_name             = "rg-compute"
  location                        = "eastus"
  size                            = "Standard_D2s_v5"
  admin_username                  = "appadmin"
  admin_password                  = var.legacy_app_password
  disable_password_authentication = false
  network_interface_ids           = ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-compute/providers/Microsoft.Network/networkInterfaces/nic-legacy-app"]

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }

  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }
}

variable "legacy_app_password" {
  type      = string
  sensitive = true
}
