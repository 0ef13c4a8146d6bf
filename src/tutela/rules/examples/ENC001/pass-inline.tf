# Legacy inline encryption block (deprecated since provider v4, still accepted by v5).
resource "aws_s3_bucket" "build_artifacts" {
  bucket = "acme-build-artifacts"

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "AES256"
      }
    }
  }
}
