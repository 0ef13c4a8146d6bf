resource "aws_kms_key" "records" {
  description         = "Patient records"
  enable_key_rotation = true
}

resource "aws_dynamodb_table" "encounters" {
  name         = "encounters"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "encounter_id"

  attribute {
    name = "encounter_id"
    type = "S"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.records.arn
  }

  tags = {
    data_classification = "ephi"
  }
}

resource "aws_sqs_queue" "encounter_events" {
  name              = "encounter-events"
  kms_master_key_id = aws_kms_key.records.arn

  tags = {
    data_classification = "ephi"
  }
}

# Not ePHI: the AWS-owned key is fine.
resource "aws_dynamodb_table" "feature_flags" {
  name         = "feature-flags"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "flag"

  attribute {
    name = "flag"
    type = "S"
  }
}
