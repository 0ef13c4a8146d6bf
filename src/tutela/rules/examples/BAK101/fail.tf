resource "azurerm_backup_policy_vm" "hourly" {
  name                           = "bkpol-vm-hourly"
  resource_group_name            = "rg-backup"
  recovery_vault_name            = "rsv-prod"
  policy_type                    = "V2"
  instant_restore_retention_days = 3

  backup {
    frequency     = "Hourly"
    time          = "00:00"
    hour_interval = 4
    hour_duration = 24
  }

  retention_daily {
    count = 3
  }
}
