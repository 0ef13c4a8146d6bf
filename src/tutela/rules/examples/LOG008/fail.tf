resource "aws_s3_bucket" "lab_reports" {
  bucket = "lab-reports"

  tags = {
    data_classification = "ephi"
  }
}

resource "aws_cloudtrail" "platform" {
  name                  = "platform"
  s3_bucket_name        = "audit-platform"
  is_multi_region_trail = true
}
