# A launch template that never sets metadata options: IMDSv1 stays available.
resource "aws_launch_template" "batch" {
  name_prefix   = "batch-"
  image_id      = "ami-0c55b159cbfafe1f0"
  instance_type = "c6i.large"
}
