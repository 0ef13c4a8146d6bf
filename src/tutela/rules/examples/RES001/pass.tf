provider "aws" {
  alias  = "records"
  region = "us-east-1"
}

resource "aws_s3_bucket" "records_documents" {
  provider = aws.records
  bucket   = "records-documents"
}
