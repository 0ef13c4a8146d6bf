resource "aws_s3_bucket" "this" {
  for_each = var.buckets

  bucket              = "${var.name_prefix}-${each.key}"
  object_lock_enabled = each.value.object_lock_days != null

  tags = merge(var.tags, {
    Name                = "${var.name_prefix}-${each.key}"
    data_classification = each.value.data_classification
  })
}

resource "aws_s3_bucket_ownership_controls" "this" {
  for_each = aws_s3_bucket.this

  bucket = each.value.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each = aws_s3_bucket.this

  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = aws_s3_bucket.this

  bucket = each.value.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.buckets[each.key].sse_algorithm
      kms_master_key_id = var.buckets[each.key].kms_key_arn
    }
    bucket_key_enabled = var.buckets[each.key].sse_algorithm == "aws:kms"
  }
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = aws_s3_bucket.this

  bucket = each.value.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_logging" "this" {
  for_each = { for name, bucket in aws_s3_bucket.this : name => bucket if var.buckets[name].access_logging }

  bucket        = each.value.id
  target_bucket = aws_s3_bucket.this["access-logs"].id
  target_prefix = "s3/${each.key}/"
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  for_each = aws_s3_bucket.this

  bucket = each.value.id

  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = 365
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

data "aws_iam_policy_document" "bucket" {
  for_each = aws_s3_bucket.this

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [each.value.arn, "${each.value.arn}/*"]

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

  dynamic "statement" {
    for_each = var.buckets[each.key].log_writer == null ? [] : [var.buckets[each.key].log_writer]

    content {
      sid       = "AllowLogDelivery"
      actions   = ["s3:PutObject"]
      resources = ["${each.value.arn}/*"]

      principals {
        type        = "Service"
        identifiers = [statement.value]
      }
    }
  }

  dynamic "statement" {
    for_each = var.buckets[each.key].log_writer == "cloudtrail.amazonaws.com" ? [1] : []

    content {
      sid       = "AllowCloudTrailAclCheck"
      actions   = ["s3:GetBucketAcl"]
      resources = [each.value.arn]

      principals {
        type        = "Service"
        identifiers = ["cloudtrail.amazonaws.com"]
      }
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  for_each = aws_s3_bucket.this

  bucket = each.value.id
  policy = data.aws_iam_policy_document.bucket[each.key].json

  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_s3_bucket_object_lock_configuration" "this" {
  for_each = { for name, b in var.buckets : name => b if b.object_lock_days != null }

  bucket = aws_s3_bucket.this[each.key].id

  rule {
    default_retention {
      mode = "GOVERNANCE"
      days = each.value.object_lock_days
    }
  }
}
