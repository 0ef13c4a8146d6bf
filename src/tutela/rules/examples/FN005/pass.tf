resource "aws_lambda_function" "intake_parser" {
  function_name = "intake-parser"
  role          = "arn:aws:iam::111122223333:role/intake-parser"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "intake_parser.zip"
  code_signing_config_arn = aws_lambda_code_signing_config.release.arn
}
resource "aws_signer_signing_profile" "release" {
  platform_id = "AWSLambda-SHA384-ECDSA"
}

resource "aws_lambda_code_signing_config" "release" {
  allowed_publishers {
    signing_profile_version_arns = [aws_signer_signing_profile.release.version_arn]
  }

  policies {
    untrusted_artifact_on_deployment = "Enforce"
  }
}
