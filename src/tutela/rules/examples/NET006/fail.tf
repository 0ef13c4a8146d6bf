resource "aws_network_acl" "legacy" {
  vpc_id = "vpc-0f1e2d3c4b5a69788"

  ingress {
    rule_no    = 100
    protocol   = "-1"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
}
