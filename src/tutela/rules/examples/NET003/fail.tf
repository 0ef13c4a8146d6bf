# A reporting database given a public endpoint.
resource "aws_db_instance" "reporting" {
  identifier                  = "reporting"
  engine                      = "postgres"
  engine_version              = "16.3"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "reporting_admin"
  manage_master_user_password = true
  db_subnet_group_name        = "public-subnets"
  publicly_accessible         = true
  storage_encrypted           = true
  skip_final_snapshot         = false
}
