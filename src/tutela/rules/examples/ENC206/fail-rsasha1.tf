# DNSSEC on, but signed with RSASHA1 keys.
resource "google_dns_managed_zone" "partners" {
  name     = "partners"
  dns_name = "partners.acme-health.example."

  dnssec_config {
    state = "on"
    default_key_specs {
      algorithm  = "rsasha1"
      key_length = 2048
      key_type   = "keySigning"
    }
    default_key_specs {
      algorithm  = "rsasha1"
      key_length = 1024
      key_type   = "zoneSigning"
    }
  }
}
