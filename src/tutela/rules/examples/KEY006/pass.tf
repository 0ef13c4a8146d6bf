resource "aws_kms_key" "records" {
  description         = "Patient records"
  enable_key_rotation = true
  multi_region        = true

  tags = {
    data_classification = "ephi"
  }
}
