resource "aws_codebuild_project" "nightly_export" {
  name         = "nightly_export"
  service_role = "arn:aws:iam::111122223333:role/codebuild-nightly_export"

  artifacts {
    type = "NO_ARTIFACTS"
  }

  source {
    type     = "GITHUB"
    location = "https://github.com/example/nightly_export.git"
  }

  environment {
    compute_type    = "BUILD_GENERAL1_SMALL"
    image           = "aws/codebuild/amazonlinux2-x86_64-standard:5.0"
    type            = "LINUX_CONTAINER"
    privileged_mode = false
  }

  logs_config {
    cloudwatch_logs {
      status = "DISABLED"
    }
  }
}
