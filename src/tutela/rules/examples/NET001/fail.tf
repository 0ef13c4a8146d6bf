# A bastion host whose security group admits SSH from anywhere.
variable "vpc_id" {
  type    = string
  default = "vpc-0a1b2c3d4e5f67890"
}

resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "Bastion host access"
  vpc_id      = var.vpc_id

  ingress {
    description = "SSH"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
