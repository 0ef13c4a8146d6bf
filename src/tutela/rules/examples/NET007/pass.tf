resource "aws_vpc" "records" {
  cidr_block = "10.40.0.0/16"
}

# Managed with no rules: Terraform removes AWS's default rules.
resource "aws_default_security_group" "records" {
  vpc_id = aws_vpc.records.id
}
