resource "azurerm_linux_virtual_machine" "hl7" {
  name                  = "vm-hl7-prod"
  resource_group_name   = "rg-compute"
  location              = "eastus"
  size                  = "Standard_D4s_v5"
  admin_username        = "azureuser"
  network_interface_ids = ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-compute/providers/Microsoft.Network/networkInterfaces/nic-hl7-prod"]
  encryption_at_host_enabled = true
  secure_boot_enabled        = true
  vtpm_enabled               = true

  admin_ssh_key {
    username   = "azureuser"
    public_key = var.hl7_ssh_public_key
  }

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

  tags = {
    data_classification = "ephi"
  }
}

variable "hl7_ssh_public_key" {
  type = string
}
