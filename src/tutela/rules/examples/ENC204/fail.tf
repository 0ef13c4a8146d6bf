# The HTTP frontend serves the application's URL map directly.
resource "google_compute_backend_service" "app" {
  name = "telehealth-app"
}

resource "google_compute_url_map" "app" {
  name            = "telehealth-app"
  default_service = google_compute_backend_service.app.id
}

resource "google_compute_target_http_proxy" "app" {
  name    = "telehealth-http"
  url_map = google_compute_url_map.app.id
}
