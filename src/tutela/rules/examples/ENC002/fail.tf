# A data volume created without encryption (the provider default).
resource "aws_ebs_volume" "scratch" {
  availability_zone = "us-east-1a"
  size              = 500
  type              = "gp3"

  tags = {
    Name = "etl-scratch"
  }
}
