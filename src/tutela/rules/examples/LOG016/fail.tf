resource "aws_guardduty_detector" "basic" {
  enable = true
}

resource "aws_guardduty_detector_feature" "s3" {
  detector_id = aws_guardduty_detector.basic.id
  name        = "S3_DATA_EVENTS"
  status      = "ENABLED"
}
