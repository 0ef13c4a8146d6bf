resource "google_dns_managed_zone" "patients" {
  name     = "patients"
  dns_name = "patients.acme-health.example."

  dnssec_config {
    state = "on"
  }
}

resource "google_dns_managed_zone" "internal" {
  name       = "internal"
  dns_name   = "internal.acme-health.example."
  visibility = "private"

  private_visibility_config {
    networks {
      network_url = "projects/acme-clinical-prod/global/networks/clinical"
    }
  }
}
