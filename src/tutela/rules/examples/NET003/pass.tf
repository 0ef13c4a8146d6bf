# The database lives in private subnets without a public endpoint.
resource "aws_db_instance" "claims" {
  identifier                  = "claims"
  engine                      = "postgres"
  engine_version              = "16.3"
  instance_class              = "db.r6g.large"
  allocated_storage           = 200
  username                    = "claims_admin"
  manage_master_user_password = true
  db_subnet_group_name        = "private-data-subnets"
  publicly_accessible         = false
  storage_encrypted           = true
}
