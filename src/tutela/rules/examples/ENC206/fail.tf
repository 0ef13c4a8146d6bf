# A public zone without DNSSEC.
resource "google_dns_managed_zone" "marketing" {
  name     = "marketing"
  dns_name = "care.acme-health.example."
}
