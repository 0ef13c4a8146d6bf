# Unset, AWS waits 30 days before deleting the key.
resource "aws_kms_key" "lab_results" {
  description         = "Lab results"
  enable_key_rotation = true
}
