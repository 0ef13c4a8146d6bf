variable "resource_group_name" { type = string }
variable "location" { type = string }
variable "tags" { type = map(string) }
variable "admin_cidrs" { type = list(string) }

resource "azurerm_virtual_network" "core" {
  name                = "vnet-core"
  location            = var.location
  resource_group_name = var.resource_group_name
  address_space       = ["10.40.0.0/16"]
  tags                = var.tags
}

locals {
  subnets = {
    app      = "10.40.1.0/24"
    data     = "10.40.2.0/24"
    aks      = "10.40.8.0/21"
    postgres = "10.40.3.0/24"
  }

  # Inbound rules of the application tier, rendered with a dynamic block.
  app_rules = {
    https-from-internet = { priority = 100, port = "443", source = "Internet" }
    http-redirect       = { priority = 110, port = "80", source = "Internet" }
    health-probes       = { priority = 120, port = "*", source = "AzureLoadBalancer" }
  }
}

resource "azurerm_subnet" "this" {
  for_each             = local.subnets
  name                 = "snet-${each.key}"
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.core.name
  address_prefixes     = [each.value]
}

resource "azurerm_network_security_group" "app" {
  name                = "nsg-app"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags

  dynamic "security_rule" {
    for_each = local.app_rules
    content {
      name                       = security_rule.key
      priority                   = security_rule.value.priority
      direction                  = "Inbound"
      access                     = "Allow"
      protocol                   = "Tcp"
      source_port_range          = "*"
      destination_port_range     = security_rule.value.port
      source_address_prefix      = security_rule.value.source
      destination_address_prefix = "VirtualNetwork"
    }
  }

  # Defence in depth: admin and database ports are denied from the internet first.
  security_rule {
    name                       = "deny-admin-and-db-from-internet"
    priority                   = 90
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_ranges    = ["22", "3389", "1433", "3306", "5432", "6379"]
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }
}

# SSH for administrators, declared as separate rules, one per office range.
resource "azurerm_network_security_rule" "admin_ssh" {
  for_each                    = toset(var.admin_cidrs)
  name                        = "ssh-${replace(replace(each.value, ".", "-"), "/", "_")}"
  priority                    = 200 + index(var.admin_cidrs, each.value)
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = each.value
  destination_address_prefix  = "VirtualNetwork"
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.app.name
}

# The data tier only accepts PostgreSQL from the application subnet.
resource "azurerm_network_security_group" "data" {
  name                = "nsg-data"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_network_security_rule" "postgres_from_app" {
  name                        = "postgres-from-app"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "5432"
  source_address_prefixes     = [local.subnets["app"], local.subnets["aks"]]
  destination_address_prefix  = local.subnets["postgres"]
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.data.name
}

resource "azurerm_network_security_rule" "deny_internet" {
  name                        = "deny-internet"
  priority                    = 4000
  direction                   = "Inbound"
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "*"
  source_address_prefix       = "Internet"
  destination_address_prefix  = "*"
  resource_group_name         = var.resource_group_name
  network_security_group_name = azurerm_network_security_group.data.name
}

resource "azurerm_network_watcher_flow_log" "core" {
  name                 = "fl-vnet-core"
  network_watcher_name = "NetworkWatcher_eastus2"
  resource_group_name  = "NetworkWatcherRG"
  target_resource_id   = azurerm_virtual_network.core.id
  storage_account_id   = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-core-prod/providers/Microsoft.Storage/storageAccounts/stflowlogscore"
  enabled              = true

  retention_policy {
    enabled = true
    days    = 0
  }
}

output "app_subnet_id" {
  value = azurerm_subnet.this["app"].id
}

output "data_subnet_id" {
  value = azurerm_subnet.this["data"].id
}

output "aks_subnet_id" {
  value = azurerm_subnet.this["aks"].id
}

output "postgres_subnet_id" {
  value = azurerm_subnet.this["postgres"].id
}
