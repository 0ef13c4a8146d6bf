# Only the frontend's service account may invoke the API.
resource "google_cloud_run_v2_service" "scheduling_api" {
  name     = "scheduling-api"
  location = "us-east4"
  ingress  = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"

  template {
    containers {
      image = "us-east4-docker.pkg.dev/acme-clinical-prod/apps/scheduling-api:2.4.1"
    }
  }
}

resource "google_cloud_run_v2_service_iam_member" "frontend" {
  name     = google_cloud_run_v2_service.scheduling_api.name
  location = google_cloud_run_v2_service.scheduling_api.location
  role     = "roles/run.invoker"
  member   = "serviceAccount:frontend@acme-clinical-prod.iam.gserviceaccount.com"
}

# The public marketing site: anonymous by design, and labelled so.
resource "google_cloud_run_v2_service" "website" {
  name     = "website"
  location = "us-east4"
  ingress  = "INGRESS_TRAFFIC_ALL"

  labels = {
    exposure = "public"
  }

  template {
    containers {
      image = "us-east4-docker.pkg.dev/acme-clinical-prod/web/website:5.0.0"
    }
  }
}

resource "google_cloud_run_v2_service_iam_member" "website_public" {
  name     = google_cloud_run_v2_service.website.name
  location = google_cloud_run_v2_service.website.location
  role     = "roles/run.invoker"
  member   = "allUsers"
}
