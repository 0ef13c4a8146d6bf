# The group is declared empty; the rule opening SSH to the world is a separate resource.
resource "aws_security_group" "build_agents" {
  name        = "build-agents"
  description = "CI build agents"
  vpc_id      = "vpc-0a1b2c3d4e5f67890"
}

resource "aws_vpc_security_group_ingress_rule" "build_agents_ssh" {
  security_group_id = aws_security_group.build_agents.id
  description       = "SSH for debugging"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = "0.0.0.0/0"
}
