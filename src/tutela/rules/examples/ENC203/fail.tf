# No SSL policy: Google's default accepts TLS 1.0.
resource "google_compute_target_https_proxy" "patient_app" {
  name             = "patient-app-https"
  url_map          = "projects/acme-clinical-prod/global/urlMaps/patient-app"
  ssl_certificates = ["projects/acme-clinical-prod/global/sslCertificates/patient-app"]
}
