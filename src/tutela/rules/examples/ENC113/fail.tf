resource "azurerm_linux_virtual_machine" "dicom" {
  name                  = "vm-dicom"
  resource_group_name   = "rg-compute"
  location              = "eastus"
  size                  = "Standard_D4s_v5"
  admin_username        = "azureuser"
  network_interface_ids = ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-compute/providers/Microsoft.Network/networkInterfaces/nic-dicom"]

  admin_ssh_key {
    username   = "azureuser"
    public_key = var.dicom_ssh_public_key
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

variable "dicom_ssh_public_key" {
  type = string
}
