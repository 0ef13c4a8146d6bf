# Port 80 only answers with a redirect to HTTPS.
resource "google_compute_url_map" "to_https" {
  name = "portal-to-https"

  default_url_redirect {
    https_redirect         = true
    redirect_response_code = "MOVED_PERMANENTLY_DEFAULT"
    strip_query            = false
  }
}

resource "google_compute_target_http_proxy" "portal_redirect" {
  name    = "portal-http"
  url_map = google_compute_url_map.to_https.id
}
