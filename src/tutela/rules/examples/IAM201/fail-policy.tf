# An authoritative project policy built with the google_iam_policy data source.
data "google_iam_policy" "sandbox" {
  binding {
    role    = "roles/viewer"
    members = ["group:engineering@acme-health.example"]
  }

  binding {
    role    = "roles/editor"
    members = ["user:contractor@partner.example"]
  }
}

resource "google_project_iam_policy" "sandbox" {
  project     = "acme-sandbox"
  policy_data = data.google_iam_policy.sandbox.policy_data
}
