resource "aws_s3_bucket" "archive" {
  bucket = "records-dr-archive"
}
