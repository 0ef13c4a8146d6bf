variable "region" {
  type = string
}

variable "admin_ranges" {
  type = list(string)
}

locals {
  subnets = {
    workloads = "10.10.0.0/20"
    admin     = "10.10.16.0/24"
    data      = "10.10.32.0/20"
  }
  # Ingress rules by name. Only the load balancer's health-check ranges, IAP and the
  # internal network are allowed in.
  ingress = {
    "allow-iap-ssh" = {
      ranges   = ["35.235.240.0/20"]
      protocol = "tcp"
      ports    = ["22"]
    }
    "allow-health-checks" = {
      ranges   = ["130.211.0.0/22", "35.191.0.0/16"]
      protocol = "tcp"
      ports    = ["443", "8443"]
    }
    "allow-internal" = {
      ranges   = ["10.10.0.0/16"]
      protocol = "all"
      ports    = []
    }
    "allow-admin-rdp" = {
      ranges   = var.admin_ranges
      protocol = "tcp"
      ports    = ["3389"]
    }
  }
}

resource "google_compute_network" "clinical" {
  name                    = "clinical"
  auto_create_subnetworks = false
}

resource "google_compute_subnetwork" "this" {
  for_each                 = local.subnets
  name                     = each.key
  region                   = var.region
  network                  = google_compute_network.clinical.id
  ip_cidr_range            = each.value
  private_ip_google_access = true

  log_config {
    aggregation_interval = "INTERVAL_10_MIN"
    flow_sampling        = 0.5
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

# Proxy-only subnets carry no VM traffic and cannot have flow logs.
resource "google_compute_subnetwork" "proxy_only" {
  name          = "proxy-only"
  region        = var.region
  network       = google_compute_network.clinical.id
  ip_cidr_range = "10.129.0.0/23"
  purpose       = "REGIONAL_MANAGED_PROXY"
  role          = "ACTIVE"
}

resource "google_compute_firewall" "ingress" {
  for_each      = local.ingress
  name          = each.key
  network       = google_compute_network.clinical.id
  direction     = "INGRESS"
  source_ranges = each.value.ranges

  allow {
    protocol = each.value.protocol
    ports    = each.value.ports
  }

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

# Deny everything else from anywhere: a deny rule open to the world admits nothing.
resource "google_compute_firewall" "deny_all_ingress" {
  name          = "deny-all-ingress"
  network       = google_compute_network.clinical.id
  priority      = 65534
  source_ranges = ["0.0.0.0/0"]

  deny {
    protocol = "all"
  }
}

# Egress to the internet goes through Cloud NAT; egress rules admit nothing inbound.
resource "google_compute_firewall" "egress_https" {
  name               = "allow-egress-https"
  network            = google_compute_network.clinical.id
  direction          = "EGRESS"
  destination_ranges = ["0.0.0.0/0"]

  allow {
    protocol = "tcp"
    ports    = ["443"]
  }
}

# Break-glass SSH from anywhere exists for incidents, but stays disabled.
resource "google_compute_firewall" "break_glass" {
  name          = "break-glass-ssh"
  network       = google_compute_network.clinical.id
  source_ranges = ["0.0.0.0/0"]
  disabled      = true

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}

output "network_id" {
  value = google_compute_network.clinical.id
}

output "subnet_ids" {
  value = { for k, s in google_compute_subnetwork.this : k => s.id }
}
