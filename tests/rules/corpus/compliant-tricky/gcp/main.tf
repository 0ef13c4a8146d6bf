# A healthcare platform on Google Cloud, written the way real teams write it:
# variables with defaults, locals, local modules (one with for_each), for_each over
# maps, dynamic blocks, and access granted through separate IAM resources.

variable "project_id" {
  type    = string
  default = "acme-clinical-prod"
}

variable "region" {
  type    = string
  default = "us-east4"
}

variable "admin_ranges" {
  type    = list(string)
  default = ["10.20.0.0/16", "10.30.0.0/16"]
}

locals {
  zone = "${var.region}-b"
  common_labels = {
    team        = "platform"
    environment = "prod"
  }
  ephi_labels = merge(local.common_labels, { data_classification = "ephi" })
  # Project-level grants go to groups and dedicated service accounts only.
  project_roles = {
    "roles/logging.viewer"    = "group:sre@acme-health.example"
    "roles/monitoring.viewer" = "group:sre@acme-health.example"
    "roles/owner"             = "group:platform-breakglass@acme-health.example"
  }
}

resource "google_project_iam_member" "groups" {
  for_each = local.project_roles
  project  = var.project_id
  role     = each.key
  member   = each.value
}

resource "google_service_account" "app" {
  account_id   = "clinical-app"
  display_name = "Clinical application runtime"
}

resource "google_service_account" "deployer" {
  account_id = "deployer"
}

resource "google_project_iam_member" "app_roles" {
  for_each = toset(["roles/cloudsql.client", "roles/secretmanager.secretAccessor"])
  project  = var.project_id
  role     = each.value
  member   = "serviceAccount:${google_service_account.app.email}"
}

# Impersonation granted on the one account the deployer needs, not on the project.
resource "google_service_account_iam_member" "deployer_acts_as_app" {
  service_account_id = google_service_account.app.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.deployer.email}"
}

# Keyless CI: workload identity federation instead of a downloaded key.
resource "google_service_account_iam_member" "deployer_federation" {
  service_account_id = google_service_account.deployer.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/github/attribute.repository/acme/platform"
}

resource "google_project_iam_audit_config" "all" {
  project = var.project_id
  service = "allServices"

  dynamic "audit_log_config" {
    for_each = ["ADMIN_READ", "DATA_READ", "DATA_WRITE"]
    content {
      log_type = audit_log_config.value
    }
  }
}

resource "google_compute_project_metadata_item" "oslogin" {
  project = var.project_id
  key     = "enable-oslogin"
  value   = "TRUE"
}

module "network" {
  source       = "./modules/network"
  region       = var.region
  admin_ranges = var.admin_ranges
}

module "data" {
  source     = "./modules/data"
  project_id = var.project_id
  region     = var.region
  labels     = local.ephi_labels
  app_email  = google_service_account.app.email
  network_id = module.network.network_id
}

module "gke" {
  source       = "./modules/gke"
  project_id   = var.project_id
  region       = var.region
  network_id   = module.network.network_id
  admin_ranges = var.admin_ranges
}

module "serverless" {
  source      = "./modules/serverless"
  region      = var.region
  app_email   = google_service_account.app.email
  labels      = local.ephi_labels
  run_key     = module.data.key_ids["run"]
  functions_key = module.data.key_ids["functions"]
}

# One module per document store, each with its own key and reader.
module "documents" {
  for_each = {
    referrals = "group:referrals@acme-health.example"
    consents  = "group:consents@acme-health.example"
  }
  source  = "./modules/bucket"
  name    = "acme-${each.key}"
  reader  = each.value
  kms_key = module.data.key_ids["storage"]
  labels  = local.ephi_labels
}

resource "google_compute_instance_template" "worker" {
  name_prefix  = "hl7-worker-"
  machine_type = "e2-standard-2"
  region       = var.region
  labels       = local.ephi_labels

  disk {
    source_image = "projects/cos-cloud/global/images/family/cos-stable"
    boot         = true
    disk_encryption_key {
      kms_key_self_link = module.data.key_ids["disks"]
    }
  }

  network_interface {
    subnetwork = module.network.subnet_ids["workloads"]
  }

  service_account {
    email  = google_service_account.app.email
    scopes = ["cloud-platform"]
  }

  shielded_instance_config {
    enable_secure_boot          = true
    enable_vtpm                 = true
    enable_integrity_monitoring = true
  }

  metadata = {
    block-project-ssh-keys = "TRUE"
  }
}

resource "google_compute_instance" "bastion" {
  name         = "iap-bastion"
  zone         = local.zone
  machine_type = "e2-micro"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    subnetwork = module.network.subnet_ids["admin"]
  }

  shielded_instance_config {
    enable_secure_boot = true
  }
}

resource "google_compute_ssl_policy" "modern" {
  name            = "tls12-modern"
  profile         = "MODERN"
  min_tls_version = "TLS_1_2"
}

resource "google_compute_url_map" "portal" {
  name            = "patient-portal"
  default_service = "projects/acme-clinical-prod/global/backendServices/patient-portal"
}

resource "google_compute_target_https_proxy" "portal" {
  name             = "patient-portal-https"
  url_map          = google_compute_url_map.portal.id
  ssl_certificates = ["projects/acme-clinical-prod/global/sslCertificates/portal-2025"]
  ssl_policy       = google_compute_ssl_policy.modern.id
}

resource "google_compute_url_map" "http_to_https" {
  name = "patient-portal-redirect"

  default_url_redirect {
    https_redirect         = true
    redirect_response_code = "MOVED_PERMANENTLY_DEFAULT"
    strip_query            = false
  }
}

resource "google_compute_target_http_proxy" "portal_redirect" {
  name    = "patient-portal-http"
  url_map = google_compute_url_map.http_to_https.self_link
}

resource "google_dns_managed_zone" "public" {
  name     = "acme-health"
  dns_name = "acme-health.example."

  dnssec_config {
    state = "on"
    default_key_specs {
      algorithm  = "ecdsap256sha256"
      key_length = 256
      key_type   = "keySigning"
    }
    default_key_specs {
      algorithm  = "ecdsap256sha256"
      key_length = 256
      key_type   = "zoneSigning"
    }
  }
}

resource "google_dns_managed_zone" "internal" {
  name       = "internal"
  dns_name   = "internal.acme-health.example."
  visibility = "private"

  private_visibility_config {
    networks {
      network_url = module.network.network_id
    }
  }
}
