# A tag, once pushed, always names the same image.
resource "aws_ecr_repository" "eligibility_worker" {
  name                 = "eligibility-worker"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }
}
