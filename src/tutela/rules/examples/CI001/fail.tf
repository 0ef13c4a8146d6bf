resource "aws_codebuild_project" "image_builder" {
  name         = "image_builder"
  service_role = "arn:aws:iam::111122223333:role/codebuild-image_builder"

  artifacts {
    type = "NO_ARTIFACTS"
  }

  source {
    type     = "GITHUB"
    location = "https://github.com/example/image_builder.git"
  }

  environment {
    compute_type    = "BUILD_GENERAL1_SMALL"
    image           = "aws/codebuild/amazonlinux2-x86_64-standard:5.0"
    type            = "LINUX_CONTAINER"
    privileged_mode = true
  }
}
