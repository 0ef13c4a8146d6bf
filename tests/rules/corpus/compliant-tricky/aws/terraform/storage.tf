module "documents" {
  source   = "./modules/secure-bucket"
  for_each = var.buckets

  name            = "${var.name}-${each.key}"
  kms_key_arn     = aws_kms_key.this["documents"].arn
  log_bucket      = aws_s3_bucket.access_logs.id
  retention_days  = each.value.retention_days
}

# Server access logs: S3 log delivery supports only SSE-S3, and a log bucket does not log
# into itself.
resource "aws_s3_bucket" "access_logs" {
  bucket = "${var.name}-access-logs"

  tags = {
    data_classification = "internal"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_public_access_block" "access_logs" {
  bucket                  = aws_s3_bucket.access_logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

data "aws_iam_policy_document" "access_logs" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.access_logs.arn, "${aws_s3_bucket.access_logs.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  policy = data.aws_iam_policy_document.access_logs.json
}

resource "aws_dynamodb_table" "claims" {
  name                        = "${var.name}-claims"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "claim_id"
  deletion_protection_enabled = true

  attribute {
    name = "claim_id"
    type = "S"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.this["data"].arn
  }

  point_in_time_recovery {
    enabled = true
  }

  replica {
    region_name = var.dr_region
    kms_key_arn = aws_kms_replica_key.dr["data"].arn
  }
}

resource "aws_sqs_queue" "claim_events" {
  name              = "${var.name}-claim-events"
  kms_master_key_id = aws_kms_key.this["messaging"].id
}
