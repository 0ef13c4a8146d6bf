# A healthcare platform on Azure written the way real teams write it: modules,
# variables with defaults, for_each, dynamic blocks, and settings declared on
# separate resources (NSG rules, storage network rules and keys, SQL auditing and
# TDE, diagnostic settings). Every control it declares is compliant.

terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.10"
    }
    azuread = {
      source = "hashicorp/azuread"
    }
    random = {
      source = "hashicorp/random"
    }
  }
}

provider "azurerm" {
  features {}
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "location" {
  type    = string
  default = "East US 2"

  validation {
    condition     = contains(["East US", "East US 2", "Central US"], var.location)
    error_message = "Resources stay in the approved US regions."
  }
}

variable "office_cidrs" {
  type    = list(string)
  default = ["203.0.113.0/28"]
}

locals {
  tags = {
    environment = var.environment
    owner       = "platform-team"
    cost_center = "clinical-it"
  }
  ephi_tags = merge(local.tags, { data_classification = "ephi" })
}

data "azurerm_client_config" "current" {}

data "azurerm_subscription" "current" {}

resource "azurerm_resource_group" "core" {
  name     = "rg-core-${var.environment}"
  location = var.location
  tags     = local.tags
}

module "operations" {
  source              = "./modules/operations"
  resource_group_name = azurerm_resource_group.core.name
  location            = azurerm_resource_group.core.location
  tags                = local.tags
  retention_days      = 365
}

module "network" {
  source              = "./modules/network"
  resource_group_name = azurerm_resource_group.core.name
  location            = azurerm_resource_group.core.location
  admin_cidrs         = var.office_cidrs
  tags                = local.tags
}

module "data" {
  source              = "./modules/data"
  resource_group_name = azurerm_resource_group.core.name
  location            = azurerm_resource_group.core.location
  tenant_id           = data.azurerm_client_config.current.tenant_id
  data_subnet_id      = module.network.data_subnet_id
  postgres_subnet_id  = module.network.postgres_subnet_id
  allowed_cidrs       = var.office_cidrs
  workspace_id        = module.operations.workspace_id
  tags                = local.ephi_tags
}

module "platform" {
  source              = "./modules/platform"
  resource_group_name = azurerm_resource_group.core.name
  location            = azurerm_resource_group.core.location
  aks_subnet_id       = module.network.aks_subnet_id
  app_subnet_id       = module.network.app_subnet_id
  workspace_id        = module.operations.workspace_id
  key_vault_id        = module.data.key_vault_id
  db_secret_uri       = module.data.db_secret_uri
  tags                = local.tags
}

# --- access ---------------------------------------------------------------------------------

resource "azuread_group" "platform_owners" {
  display_name     = "platform-owners"
  security_enabled = true
}

resource "azurerm_role_assignment" "platform_owners" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Owner"
  principal_id         = azuread_group.platform_owners.object_id
}

# A named engineer owns one resource group: a narrow scope, not the subscription.
resource "azurerm_role_assignment" "sandbox_owner" {
  scope                = "${data.azurerm_subscription.current.id}/resourceGroups/rg-sandbox-ana"
  role_definition_name = "Owner"
  principal_id         = "4b1c9a52-0d2e-4f7a-9b3c-1e2d3f4a5b6c"
  principal_type       = "User"
}

# The pipeline's identity reads the subscription.
resource "azurerm_role_assignment" "pipeline_reader" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Reader"
  principal_id         = data.azurerm_client_config.current.object_id
}

resource "azurerm_role_definition" "vm_operator" {
  name        = "VM Operator (${var.environment})"
  scope       = data.azurerm_subscription.current.id
  description = "Start and restart VMs; nothing else."

  permissions {
    actions = [
      "Microsoft.Compute/*/read",
      "Microsoft.Compute/virtualMachines/start/action",
      "Microsoft.Compute/virtualMachines/restart/action",
    ]
  }

  assignable_scopes = [data.azurerm_subscription.current.id]
}
