# Object versions are kept, so deleted or overwritten objects can be restored.
resource "aws_s3_bucket" "care_plans" {
  bucket = "acme-care-plans"
}

resource "aws_s3_bucket_versioning" "care_plans" {
  bucket = aws_s3_bucket.care_plans.id

  versioning_configuration {
    status = "Enabled"
  }
}
