resource "azurerm_linux_virtual_machine_scale_set" "batch" {
  name                = "vmss-batch"
  resource_group_name = "rg-compute"
  location            = "eastus"
  sku                 = "Standard_D2s_v5"
  instances           = 2
  admin_username      = "azureuser"

  admin_ssh_key {
    username   = "azureuser"
    public_key = var.batch_ssh_public_key
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

  network_interface {
    name    = "nic"
    primary = true

    ip_configuration {
      name      = "internal"
      primary   = true
      subnet_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/batch"
    }
  }
}

variable "batch_ssh_public_key" {
  type = string
}
