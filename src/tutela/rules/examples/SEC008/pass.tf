resource "random_password" "records_db" {
  length  = 32
  special = true
}

resource "aws_ssm_parameter" "records_db_password" {
  name  = "/records/prod/db/password"
  type  = "SecureString"
  value = random_password.records_db.result
}

resource "aws_ssm_parameter" "records_db_host" {
  name  = "/records/prod/db/host"
  type  = "String"
  value = "records.cluster-abc.us-east-1.rds.amazonaws.com"
}
