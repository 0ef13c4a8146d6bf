# An ePHI bucket encrypted with SSE-KMS under a customer-managed key.
resource "aws_kms_key" "lab_orders" {
  description         = "Lab orders (ePHI)"
  enable_key_rotation = true
}

resource "aws_s3_bucket" "lab_orders" {
  bucket = "acme-lab-orders"

  tags = {
    data_classification = "ephi"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "lab_orders" {
  bucket = aws_s3_bucket.lab_orders.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.lab_orders.arn
    }
    bucket_key_enabled = true
  }
}
