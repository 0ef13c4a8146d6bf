# Tags can be moved to another image after review (MUTABLE is the default).
resource "aws_ecr_repository" "billing_worker" {
  name = "billing-worker"

  image_scanning_configuration {
    scan_on_push = true
  }
}
