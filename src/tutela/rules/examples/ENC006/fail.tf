# A bucket with no bucket policy: S3 accepts plain-HTTP requests.
resource "aws_s3_bucket" "lab_results" {
  bucket = "acme-lab-results"
}
