# A suppression without a reason: it hides ENC001 from review and does not apply.
# tutela:ignore ENC001
resource "aws_s3_bucket" "marketing_site" {
  bucket = "acme-marketing-site"
}
