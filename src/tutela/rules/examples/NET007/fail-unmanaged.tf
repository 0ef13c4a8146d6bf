resource "aws_vpc" "sandbox" {
  cidr_block = "10.60.0.0/16"
}
