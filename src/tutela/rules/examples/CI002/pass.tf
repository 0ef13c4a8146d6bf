resource "aws_codebuild_project" "portal_tests" {
  name         = "portal_tests"
  service_role = "arn:aws:iam::111122223333:role/codebuild-portal_tests"

  artifacts {
    type = "NO_ARTIFACTS"
  }

  source {
    type     = "GITHUB"
    location = "https://github.com/example/portal_tests.git"
  }

  environment {
    compute_type    = "BUILD_GENERAL1_SMALL"
    image           = "aws/codebuild/amazonlinux2-x86_64-standard:5.0"
    type            = "LINUX_CONTAINER"
    privileged_mode = false
  }

  logs_config {
    cloudwatch_logs {
      status     = "ENABLED"
      group_name = "/codebuild/portal-tests"
    }
  }
}
