resource "aws_guardduty_detector" "paused" {
  enable = false
}
