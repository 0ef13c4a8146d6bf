resource "aws_vpc" "analytics" {
  cidr_block = "10.50.0.0/16"
}

resource "aws_default_security_group" "analytics" {
  vpc_id = aws_vpc.analytics.id

  ingress {
    protocol  = -1
    self      = true
    from_port = 0
    to_port   = 0
  }
}
