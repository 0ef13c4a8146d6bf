# A downloaded JSON key for an integration partner.
resource "google_service_account" "partner_sftp" {
  account_id = "partner-sftp"
}

resource "google_service_account_key" "partner_sftp" {
  service_account_id = google_service_account.partner_sftp.name
}
