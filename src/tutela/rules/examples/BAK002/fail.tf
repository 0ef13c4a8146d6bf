# Overwrites and deletes in this bucket are permanent: versioning was never enabled.
resource "aws_s3_bucket" "consent_forms" {
  bucket = "acme-consent-forms"
}
