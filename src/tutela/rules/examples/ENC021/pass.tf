resource "aws_db_parameter_group" "records_tls" {
  name   = "records-tls"
  family = "postgres14"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
}

resource "aws_db_instance" "records" {
  identifier                  = "records"
  engine                      = "postgres"
  engine_version              = "14.12"
  instance_class              = "db.r6g.large"
  allocated_storage           = 100
  username                    = "records_admin"
  manage_master_user_password = true
  storage_encrypted           = true
  parameter_group_name        = aws_db_parameter_group.records_tls.name
}
