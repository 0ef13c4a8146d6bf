data "aws_secretsmanager_secret_version" "reporting_db" {
  secret_id = "reporting/db"
}

resource "aws_cloudformation_stack" "reporting" {
  name          = "reporting"
  template_body = file("${path.module}/reporting.yaml")

  parameters = {
    Environment = "prod"
    DbPassword  = data.aws_secretsmanager_secret_version.reporting_db.secret_string
  }
}
