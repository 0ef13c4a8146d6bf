resource "aws_ssm_parameter" "lab_token" {
  name  = "/lab/prod/token"
  type  = "SecureString"
  value = "lab-8d2f6a1c9e4b7d3f"
}
