resource "aws_lambda_code_signing_config" "trial" {
  allowed_publishers {
    signing_profile_version_arns = ["arn:aws:signer:us-east-1:111122223333:/signing-profiles/trial/0123abcdef"]
  }

  policies {
    untrusted_artifact_on_deployment = "Warn"
  }
}
