# A data volume encrypted with a customer-managed key.
resource "aws_kms_key" "ebs" {
  description         = "EBS volumes of the claims workers"
  enable_key_rotation = true
}

resource "aws_ebs_volume" "claims_data" {
  availability_zone = "us-east-1a"
  size              = 200
  type              = "gp3"
  encrypted         = true
  kms_key_id        = aws_kms_key.ebs.arn

  tags = {
    Name = "claims-data"
  }
}
