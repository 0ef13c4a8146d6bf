# The defaults: TLS 1.0 and the COMPATIBLE profile.
resource "google_compute_ssl_policy" "legacy_clients" {
  name = "legacy-clients"
}
