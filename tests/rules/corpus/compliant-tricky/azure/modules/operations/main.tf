variable "resource_group_name" { type = string }
variable "location" { type = string }
variable "tags" { type = map(string) }
variable "retention_days" {
  type    = number
  default = 90
}

variable "defender_plans" {
  type = map(string)
  default = {
    VirtualMachines               = "P2"
    SqlServers                    = null
    StorageAccounts               = "DefenderForStorageV2"
    Containers                    = null
    KeyVaults                     = "PerKeyVault"
    Arm                           = "PerSubscription"
    OpenSourceRelationalDatabases = null
  }
}

resource "azurerm_log_analytics_workspace" "security" {
  name                = "log-security"
  location            = var.location
  resource_group_name = var.resource_group_name
  sku                 = "PerGB2018"
  retention_in_days   = var.retention_days
  tags                = var.tags
}

resource "azurerm_security_center_subscription_pricing" "plans" {
  for_each      = var.defender_plans
  tier          = "Standard"
  resource_type = each.key
  subplan       = each.value
}

# Dns is a retired plan; leaving it on Free is fine.
resource "azurerm_security_center_subscription_pricing" "dns" {
  tier          = "Free"
  resource_type = "Dns"
}

resource "azurerm_monitor_action_group" "security" {
  name                = "ag-security"
  resource_group_name = var.resource_group_name
  short_name          = "security"

  email_receiver {
    name          = "soc"
    email_address = "soc@example.org"
  }
}

locals {
  watched_operations = {
    nsg_write    = "Microsoft.Network/networkSecurityGroups/write"
    nsg_delete   = "Microsoft.Network/networkSecurityGroups/delete"
    policy_write = "Microsoft.Authorization/policyAssignments/write"
    sql_fw_write = "Microsoft.Sql/servers/firewallRules/write"
  }
}

resource "azurerm_monitor_activity_log_alert" "watch" {
  for_each            = local.watched_operations
  name                = "ala-${replace(each.key, "_", "-")}"
  resource_group_name = var.resource_group_name
  location            = "global"
  scopes              = ["/subscriptions/00000000-0000-0000-0000-000000000000"]

  criteria {
    category       = "Administrative"
    operation_name = each.value
  }

  action {
    action_group_id = azurerm_monitor_action_group.security.id
  }
}

resource "azurerm_recovery_services_vault" "backup" {
  name                         = "rsv-core"
  location                     = var.location
  resource_group_name          = var.resource_group_name
  sku                          = "Standard"
  cross_region_restore_enabled = true
  tags                         = var.tags
}

resource "azurerm_backup_policy_vm" "standard" {
  name                = "bkpol-standard"
  resource_group_name = var.resource_group_name
  recovery_vault_name = azurerm_recovery_services_vault.backup.name

  backup {
    frequency = "Daily"
    time      = "01:00"
  }

  retention_daily {
    count = 7
  }

  retention_weekly {
    count    = 12
    weekdays = ["Sunday"]
  }
}

output "workspace_id" {
  value = azurerm_log_analytics_workspace.security.id
}
