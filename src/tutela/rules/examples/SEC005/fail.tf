resource "aws_cloudformation_stack" "legacy_reporting" {
  name          = "legacy-reporting"
  template_body = file("${path.module}/legacy-reporting.yaml")

  parameters = {
    Environment = "prod"
    DbPassword  = "Winter2024!Reporting"
  }
}
