# A repository that never scans pushed images (scan_on_push defaults to false).
resource "aws_ecr_repository" "claims_api" {
  name                 = "claims-api"
  image_tag_mutability = "IMMUTABLE"
}
