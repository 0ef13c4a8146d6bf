resource "aws_codebuild_project" "portal_build" {
  name         = "portal_build"
  service_role = "arn:aws:iam::111122223333:role/codebuild-portal_build"

  artifacts {
    type = "NO_ARTIFACTS"
  }

  source {
    type     = "GITHUB"
    location = "https://github.com/example/portal_build.git"
  }

  environment {
    compute_type    = "BUILD_GENERAL1_SMALL"
    image           = "aws/codebuild/amazonlinux2-x86_64-standard:5.0"
    type            = "LINUX_CONTAINER"

    environment_variable {
      name  = "NODE_ENV"
      value = "production"
    }

    environment_variable {
      name  = "NPM_TOKEN"
      type  = "SECRETS_MANAGER"
      value = "ci/npm-token"
    }
  }
}
