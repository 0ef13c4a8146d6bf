resource "aws_network_acl" "jump" {
  vpc_id = "vpc-0123456789abcdef0"
}

resource "aws_network_acl_rule" "jump_rdp" {
  network_acl_id = aws_network_acl.jump.id
  rule_number    = 200
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 3389
  to_port        = 3389
}
