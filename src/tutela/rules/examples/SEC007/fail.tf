resource "aws_codebuild_project" "claims_build" {
  name         = "claims_build"
  service_role = "arn:aws:iam::111122223333:role/codebuild-claims_build"

  artifacts {
    type = "NO_ARTIFACTS"
  }

  source {
    type     = "GITHUB"
    location = "https://github.com/example/claims_build.git"
  }

  environment {
    compute_type    = "BUILD_GENERAL1_SMALL"
    image           = "aws/codebuild/amazonlinux2-x86_64-standard:5.0"
    type            = "LINUX_CONTAINER"

    environment_variable {
      name  = "SONAR_TOKEN"
      value = "squ_4f7a9c2e1b3d5f7a9c2e1b3d5f7a9c2e1b3d5f7a"
    }
  }
}
