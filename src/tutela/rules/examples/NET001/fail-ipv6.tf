# A Windows jump box reachable over RDP from the whole IPv6 internet.
resource "aws_security_group" "jumpbox" {
  name        = "windows-jumpbox"
  description = "Windows jump box"
  vpc_id      = "vpc-0a1b2c3d4e5f67890"

  ingress {
    description      = "RDP"
    from_port        = 3389
    to_port          = 3389
    protocol         = "tcp"
    ipv6_cidr_blocks = ["::/0"]
  }
}
