resource "aws_sns_topic" "lab_results" {
  name              = "lab-results-ready"
  kms_master_key_id = aws_kms_key.notifications.arn
}

resource "aws_kms_key" "notifications" {
  description         = "Notifications"
  enable_key_rotation = true
}
