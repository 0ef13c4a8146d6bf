# The encryption resource names the bucket by its literal name, as a module
# that only receives `var.bucket_name` would.
variable "bucket_name" {
  type    = string
  default = "acme-remittance-archive"
}

resource "aws_s3_bucket" "remittance_archive" {
  bucket = var.bucket_name
}

resource "aws_s3_bucket_server_side_encryption_configuration" "remittance_archive" {
  bucket = var.bucket_name

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}
