variable "resource_group_name" { type = string }
variable "location" { type = string }
variable "aks_subnet_id" { type = string }
variable "app_subnet_id" { type = string }
variable "workspace_id" { type = string }
variable "key_vault_id" { type = string }
variable "db_secret_uri" { type = string }
variable "tags" { type = map(string) }

variable "kubernetes" {
  type = object({
    version         = optional(string, "1.30")
    system_vm_size  = optional(string, "Standard_D4ds_v5")
    admin_group_ids = optional(list(string), ["6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f"])
  })
  default = {}
}

# --- registry --------------------------------------------------------------------------------

resource "azurerm_container_registry" "platform" {
  name                          = "acrplatformprod"
  resource_group_name           = var.resource_group_name
  location                      = var.location
  sku                           = "Premium"
  admin_enabled                 = false
  public_network_access_enabled = false
  zone_redundancy_enabled       = true
  tags                          = var.tags
}

# --- AKS -------------------------------------------------------------------------------------

resource "azurerm_kubernetes_cluster" "platform" {
  name                       = "aks-platform-prod"
  location                   = var.location
  resource_group_name        = var.resource_group_name
  dns_prefix_private_cluster = "aks-platform-prod"
  kubernetes_version         = var.kubernetes.version
  private_cluster_enabled    = true
  local_account_disabled     = true
  azure_policy_enabled       = true
  automatic_upgrade_channel  = "patch"
  oidc_issuer_enabled        = true
  workload_identity_enabled  = true
  sku_tier                   = "Standard"
  tags                       = var.tags

  default_node_pool {
    name                    = "system"
    vm_size                 = var.kubernetes.system_vm_size
    vnet_subnet_id          = var.aks_subnet_id
    host_encryption_enabled = true
    auto_scaling_enabled    = true
    min_count               = 3
    max_count               = 6
  }

  identity {
    type = "SystemAssigned"
  }

  azure_active_directory_role_based_access_control {
    azure_rbac_enabled     = true
    admin_group_object_ids = var.kubernetes.admin_group_ids
  }

  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
    network_data_plane  = "cilium"
    network_policy      = "cilium"
  }

  oms_agent {
    log_analytics_workspace_id      = var.workspace_id
    msi_auth_for_monitoring_enabled = true
  }

  microsoft_defender {
    log_analytics_workspace_id = var.workspace_id
  }

  key_vault_secrets_provider {
    secret_rotation_enabled = true
  }
}

resource "azurerm_monitor_diagnostic_setting" "aks" {
  name                       = "aks-platform-audit"
  target_resource_id         = azurerm_kubernetes_cluster.platform.id
  log_analytics_workspace_id = var.workspace_id

  dynamic "enabled_log" {
    for_each = toset(["kube-apiserver", "kube-audit-admin", "guard"])
    content {
      category = enabled_log.value
    }
  }
}

resource "azurerm_role_assignment" "aks_pull" {
  scope                = azurerm_container_registry.platform.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_kubernetes_cluster.platform.kubelet_identity[0].object_id
}

# --- functions -------------------------------------------------------------------------------

resource "azurerm_service_plan" "functions" {
  name                = "asp-functions"
  resource_group_name = var.resource_group_name
  location            = var.location
  os_type             = "Linux"
  sku_name            = "EP1"
  tags                = var.tags
}

resource "azurerm_storage_account" "functions" {
  name                            = "stfuncintakeprod"
  resource_group_name             = var.resource_group_name
  location                        = var.location
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  allow_nested_items_to_be_public = false
  public_network_access_enabled   = false
  tags                            = var.tags

  blob_properties {
    delete_retention_policy {
      days = 7
    }
  }
}

resource "azurerm_linux_function_app" "intake" {
  name                          = "func-intake-prod"
  resource_group_name           = var.resource_group_name
  location                      = var.location
  service_plan_id               = azurerm_service_plan.functions.id
  storage_account_name          = azurerm_storage_account.functions.name
  storage_uses_managed_identity = true
  https_only                    = true
  public_network_access_enabled = false
  virtual_network_subnet_id     = var.app_subnet_id
  tags                          = var.tags

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version    = "1.3"
    ftps_state             = "Disabled"
    vnet_route_all_enabled = true

    application_stack {
      python_version = "3.11"
    }
  }

  app_settings = {
    FUNCTIONS_WORKER_RUNTIME = "python"
    DB_PASSWORD              = "@Microsoft.KeyVault(SecretUri=${var.db_secret_uri})"
    INTAKE_QUEUE             = "intake"
    TOKEN_AUDIENCE           = "api://intake"
  }
}

# --- a worker VM -----------------------------------------------------------------------------

resource "azurerm_network_interface" "worker" {
  name                = "nic-worker"
  location            = var.location
  resource_group_name = var.resource_group_name

  ip_configuration {
    name                          = "internal"
    subnet_id                     = var.app_subnet_id
    private_ip_address_allocation = "Dynamic"
  }
}

resource "tls_private_key" "worker" {
  algorithm = "ED25519"
}

resource "azurerm_linux_virtual_machine" "worker" {
  name                       = "vm-worker-prod"
  resource_group_name        = var.resource_group_name
  location                   = var.location
  size                       = "Standard_D4ds_v5"
  admin_username             = "azureuser"
  network_interface_ids      = [azurerm_network_interface.worker.id]
  encryption_at_host_enabled = true
  secure_boot_enabled        = true
  vtpm_enabled               = true
  patch_mode                 = "AutomaticByPlatform"
  tags                       = merge(var.tags, { data_classification = "ephi" })

  admin_ssh_key {
    username   = "azureuser"
    public_key = tls_private_key.worker.public_key_openssh
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

  identity {
    type = "SystemAssigned"
  }
}
