resource "aws_vpc" "analytics" {
  cidr_block = "10.50.0.0/16"
}
