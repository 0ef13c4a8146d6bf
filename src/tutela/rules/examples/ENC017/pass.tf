resource "aws_sqs_queue" "claims_intake" {
  name              = "claims-intake"
  kms_master_key_id = aws_kms_key.claims_queue.arn
}

resource "aws_kms_key" "claims_queue" {
  description         = "Claims intake queue"
  enable_key_rotation = true
}
