# A web tier: HTTPS from anywhere, SSH only from the admin VPN range.
variable "admin_vpn_cidr" {
  type    = string
  default = "10.20.0.0/16"
}

resource "aws_security_group" "web" {
  name        = "web"
  description = "Public web tier"
  vpc_id      = "vpc-0a1b2c3d4e5f67890"

  ingress {
    description      = "HTTPS"
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }

  ingress {
    description = "SSH from the admin VPN"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_vpn_cidr]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
