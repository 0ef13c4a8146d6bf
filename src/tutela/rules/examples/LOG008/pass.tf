resource "aws_s3_bucket" "patient_documents" {
  bucket = "patient-documents"

  tags = {
    data_classification = "ephi"
  }
}

resource "aws_cloudtrail" "records" {
  name                  = "records"
  s3_bucket_name        = "audit-records"
  is_multi_region_trail = true

  event_selector {
    read_write_type           = "All"
    include_management_events = true

    data_resource {
      type   = "AWS::S3::Object"
      values = ["${aws_s3_bucket.patient_documents.arn}/"]
    }
  }
}
