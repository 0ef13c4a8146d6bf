variable "region" {
  type = string
}

variable "app_email" {
  type = string
}

variable "labels" {
  type = map(string)
}

variable "run_key" {
  type = string
}

variable "functions_key" {
  type = string
}

resource "google_service_account" "frontend" {
  account_id = "portal-frontend"
}

# The API behind the load balancer: internal ingress, secrets from Secret Manager.
resource "google_cloud_run_v2_service" "api" {
  name     = "clinical-api"
  location = var.region
  ingress  = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"
  labels   = var.labels

  template {
    service_account = var.app_email
    encryption_key  = var.run_key

    containers {
      image = "${var.region}-docker.pkg.dev/acme-clinical-prod/apps/clinical-api@sha256:9b2f4c6e8a0d1f3b5c7e9a1d3f5b7c9e1a3d5f7b9c1e3a5d7f9b1c3e5a7d9f1b"

      env {
        name  = "LOG_LEVEL"
        value = "info"
      }

      env {
        name  = "DB_PASSWORD_SECRET"
        value = "projects/acme-clinical-prod/secrets/ehr-db-password/versions/latest"
      }

      env {
        name = "DB_PASSWORD"
        value_source {
          secret_key_ref {
            secret  = "ehr-db-password"
            version = "latest"
          }
        }
      }
    }
  }
}

resource "google_cloud_run_v2_service_iam_member" "frontend_invokes_api" {
  name     = google_cloud_run_v2_service.api.name
  location = google_cloud_run_v2_service.api.location
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.frontend.email}"
}

# The public marketing site: anonymous by design, and labelled so.
resource "google_cloud_run_v2_service" "website" {
  name     = "website"
  location = var.region
  ingress  = "INGRESS_TRAFFIC_ALL"
  labels = {
    exposure = "public"
  }

  template {
    containers {
      image = "${var.region}-docker.pkg.dev/acme-clinical-prod/web/website:2025.06.1"
    }
  }
}

resource "google_cloud_run_v2_service_iam_member" "website_public" {
  name     = google_cloud_run_v2_service.website.name
  location = google_cloud_run_v2_service.website.location
  role     = "roles/run.invoker"
  member   = "allUsers"
}

# An event-driven function: only Eventarc (internal) reaches it.
resource "google_cloudfunctions2_function" "adt_consumer" {
  name         = "adt-consumer"
  location     = var.region
  labels       = var.labels
  kms_key_name = var.functions_key

  build_config {
    runtime     = "python312"
    entry_point = "consume"
    environment_variables = {
      PIP_INDEX_URL = "https://us-python.pkg.dev/acme-clinical-prod/python/simple/"
    }
  }

  service_config {
    ingress_settings      = "ALLOW_INTERNAL_ONLY"
    service_account_email = var.app_email
    environment_variables = {
      TOPIC = "adt-events"
    }
    secret_environment_variables {
      key        = "HL7_SHARED_SECRET"
      project_id = "acme-clinical-prod"
      secret     = "hl7-shared-secret"
      version    = "latest"
    }
  }

  event_trigger {
    trigger_region = var.region
    event_type     = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic   = "projects/acme-clinical-prod/topics/adt-events"
    retry_policy   = "RETRY_POLICY_RETRY"
  }
}

# A 1st generation HTTP function behind the load balancer, HTTPS only.
resource "google_cloudfunctions_function" "eligibility" {
  name                         = "eligibility"
  region                       = var.region
  runtime                      = "nodejs20"
  entry_point                  = "check"
  source_archive_bucket        = "acme-function-sources"
  source_archive_object        = "eligibility.zip"
  trigger_http                 = true
  https_trigger_security_level = "SECURE_ALWAYS"
  ingress_settings             = "ALLOW_INTERNAL_AND_GCLB"
  service_account_email        = var.app_email
  kms_key_name                 = var.functions_key
  labels                       = var.labels
}

resource "google_cloudfunctions_function_iam_member" "frontend" {
  region         = var.region
  cloud_function = google_cloudfunctions_function.eligibility.name
  role           = "roles/cloudfunctions.invoker"
  member         = "serviceAccount:${google_service_account.frontend.email}"
}
