resource "azurerm_windows_virtual_machine" "ehr_gateway" {
  name                  = "vm-ehr-gw"
  resource_group_name   = "rg-compute"
  location              = "eastus"
  size                  = "Standard_D4s_v5"
  admin_username        = "ehradmin"
  admin_password        = var.ehr_gateway_password
  secure_boot_enabled   = true
  vtpm_enabled          = true
  network_interface_ids = ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-compute/providers/Microsoft.Network/networkInterfaces/nic-ehr-gw"]

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

variable "ehr_gateway_password" {
  type      = string
  sensitive = true
}
