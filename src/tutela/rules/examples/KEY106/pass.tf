resource "azurerm_managed_disk" "pacs_data" {
  name                   = "disk-pacs-data"
  location               = "eastus"
  resource_group_name    = "rg-compute"
  storage_account_type   = "Premium_LRS"
  create_option          = "Empty"
  disk_size_gb           = 1024
  disk_encryption_set_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-security/providers/Microsoft.Compute/diskEncryptionSets/des-ephi"

  tags = {
    data_classification = "ephi"
  }
}
