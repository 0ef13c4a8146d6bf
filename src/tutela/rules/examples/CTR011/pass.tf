# Basic scanning on every push.
resource "aws_ecr_repository" "members_api" {
  name                 = "members-api"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
  }
}
