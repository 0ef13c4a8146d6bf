provider "aws" {
  alias  = "analytics"
  region = "eu-west-1"
}

resource "aws_s3_bucket" "analytics_exports" {
  provider = aws.analytics
  bucket   = "analytics-exports"
}
