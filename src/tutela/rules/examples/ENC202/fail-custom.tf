# A custom profile that re-enables RSA key exchange.
resource "google_compute_ssl_policy" "partner_gateway" {
  name            = "partner-gateway"
  profile         = "CUSTOM"
  min_tls_version = "TLS_1_2"
  custom_features = [
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
  ]
}
