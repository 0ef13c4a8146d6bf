resource "aws_dynamodb_table" "prescriptions" {
  name         = "prescriptions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "prescription_id"

  attribute {
    name = "prescription_id"
    type = "S"
  }

  tags = {
    data_classification = "ephi"
  }
}
