# An instance that still answers IMDSv1 requests.
variable "ami_id" {
  type    = string
  default = "ami-0c55b159cbfafe1f0"
}

resource "aws_instance" "worker" {
  ami           = var.ami_id
  instance_type = "t3.medium"
  subnet_id     = "subnet-0123456789abcdef0"

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "optional"
  }

  tags = {
    Name = "claims-worker"
  }
}
