# The suppression says why ENC001 does not apply and who approved the exception.
# tutela:ignore ENC001 public website assets, no ePHI (exception approved in SEC-1234)
resource "aws_s3_bucket" "public_assets" {
  bucket = "acme-public-assets"
}
