# The public entry point: WAF in prevention mode and a TLS 1.2+ policy.

resource "azurerm_public_ip" "portal" {
  name                = "pip-portal"
  location            = var.location
  resource_group_name = var.resource_group_name
  allocation_method   = "Static"
  sku                 = "Standard"
}

resource "azurerm_web_application_firewall_policy" "portal" {
  name                = "wafp-portal"
  resource_group_name = var.resource_group_name
  location            = var.location

  policy_settings {
    enabled = true
    mode    = "Prevention"
  }

  managed_rules {
    managed_rule_set {
      type    = "OWASP"
      version = "3.2"
    }
  }
}

locals {
  listeners = {
    https = { port = 443, protocol = "Https", certificate = "portal" }
    http  = { port = 80, protocol = "Http", certificate = null }
  }
}

resource "azurerm_application_gateway" "portal" {
  name                = "agw-portal"
  resource_group_name = var.resource_group_name
  location            = var.location
  firewall_policy_id  = azurerm_web_application_firewall_policy.portal.id

  sku {
    name     = "WAF_v2"
    tier     = "WAF_v2"
    capacity = 2
  }

  gateway_ip_configuration {
    name      = "gateway"
    subnet_id = var.app_subnet_id
  }

  dynamic "frontend_port" {
    for_each = local.listeners
    content {
      name = frontend_port.key
      port = frontend_port.value.port
    }
  }

  frontend_ip_configuration {
    name                 = "public"
    public_ip_address_id = azurerm_public_ip.portal.id
  }

  backend_address_pool {
    name = "portal"
  }

  backend_http_settings {
    name                  = "portal"
    cookie_based_affinity = "Disabled"
    port                  = 443
    protocol              = "Https"
    request_timeout       = 30
  }

  dynamic "http_listener" {
    for_each = local.listeners
    content {
      name                           = http_listener.key
      frontend_ip_configuration_name = "public"
      frontend_port_name             = http_listener.key
      protocol                       = http_listener.value.protocol
      ssl_certificate_name           = http_listener.value.certificate
    }
  }

  ssl_certificate {
    name                = "portal"
    key_vault_secret_id = "https://kv-edge-prod.vault.azure.net/secrets/portal-tls"
  }

  ssl_policy {
    policy_type          = "CustomV2"
    min_protocol_version = "TLSv1_2"
    cipher_suites = [
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    ]
  }

  redirect_configuration {
    name                 = "http-to-https"
    redirect_type        = "Permanent"
    target_listener_name = "https"
    include_path         = true
    include_query_string = true
  }

  request_routing_rule {
    name                        = "http-to-https"
    priority                    = 90
    rule_type                   = "Basic"
    http_listener_name          = "http"
    redirect_configuration_name = "http-to-https"
  }

  request_routing_rule {
    name                       = "portal"
    priority                   = 100
    rule_type                  = "Basic"
    http_listener_name         = "https"
    backend_address_pool_name  = "portal"
    backend_http_settings_name = "portal"
  }
}
