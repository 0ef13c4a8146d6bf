resource "aws_config_configuration_recorder" "partial" {
  name     = "partial"
  role_arn = "arn:aws:iam::111122223333:role/aws-config"

  recording_group {
    all_supported  = false
    resource_types = ["AWS::EC2::Instance", "AWS::S3::Bucket"]
  }
}

resource "aws_config_configuration_recorder_status" "partial" {
  name       = aws_config_configuration_recorder.partial.name
  is_enabled = true
}
