# A service account without keys; CI authenticates through workload identity federation.
resource "google_service_account" "release" {
  account_id   = "release"
  display_name = "Release pipeline"
}

resource "google_service_account_iam_member" "release_federation" {
  service_account_id = google_service_account.release.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/ci/attribute.repository/acme/infra"
}
