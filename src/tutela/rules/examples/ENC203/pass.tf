resource "google_compute_ssl_policy" "restricted" {
  name            = "restricted"
  profile         = "RESTRICTED"
  min_tls_version = "TLS_1_2"
}

resource "google_compute_target_https_proxy" "portal" {
  name             = "portal-https"
  url_map          = "projects/acme-clinical-prod/global/urlMaps/portal"
  ssl_certificates = ["projects/acme-clinical-prod/global/sslCertificates/portal"]
  ssl_policy       = google_compute_ssl_policy.restricted.id
}
