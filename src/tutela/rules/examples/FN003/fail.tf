# Environment variables encrypted only with the AWS-managed Lambda key.
resource "aws_lambda_function" "provider_directory" {
  function_name = "provider-directory"
  role          = "arn:aws:iam::111122223333:role/provider-directory"
  runtime       = "python3.12"
  handler       = "app.handler"
  s3_bucket     = "acme-lambda-artifacts"
  s3_key        = "provider-directory/0.9.2.zip"

  environment {
    variables = {
      DIRECTORY_TABLE = "provider-directory"
      NPI_API_URL     = "https://npiregistry.cms.hhs.gov/api/"
    }
  }
}
