# Instances launched from a template inherit its IMDSv2 requirement.
resource "aws_launch_template" "ingest" {
  name          = "ingest"
  image_id      = "ami-0c55b159cbfafe1f0"
  instance_type = "m6i.large"

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }
}

resource "aws_instance" "ingest" {
  subnet_id = "subnet-0123456789abcdef0"

  launch_template {
    id      = aws_launch_template.ingest.id
    version = "$Latest"
  }
}
