resource "azurerm_managed_disk" "scratch_phi" {
  name                 = "disk-scratch"
  location             = "eastus"
  resource_group_name  = "rg-compute"
  storage_account_type = "Premium_LRS"
  create_option        = "Empty"
  disk_size_gb         = 256

  tags = {
    phi = "true"
  }
}
