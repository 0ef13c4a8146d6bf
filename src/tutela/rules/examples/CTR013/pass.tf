resource "aws_ecr_repository" "records_api" {
  name                 = "records-api"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }
}

data "aws_iam_policy_document" "records_api_pull" {
  statement {
    sid     = "OrganizationPull"
    actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-a1b2c3d4e5"]
    }
  }
}

resource "aws_ecr_repository_policy" "records_api" {
  repository = aws_ecr_repository.records_api.name
  policy     = data.aws_iam_policy_document.records_api_pull.json
}
