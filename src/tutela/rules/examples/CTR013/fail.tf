resource "aws_ecr_repository" "claims_worker" {
  name                 = "claims-worker"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_ecr_repository_policy" "claims_worker" {
  repository = aws_ecr_repository.claims_worker.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PublicPull"
      Effect    = "Allow"
      Principal = "*"
      Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      Condition = { Bool = { "aws:SecureTransport" = "true" } }
    }]
  })
}
