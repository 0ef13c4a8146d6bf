resource "aws_kms_key" "claims" {
  description         = "Claims"
  enable_key_rotation = true

  tags = {
    data_classification = "ephi"
  }
}
