# A standby in a second availability zone takes over automatically.
resource "aws_db_instance" "formulary" {
  identifier                  = "formulary"
  engine                      = "postgres"
  engine_version              = "16.3"
  instance_class              = "db.r6g.xlarge"
  allocated_storage           = 500
  username                    = "formulary_admin"
  manage_master_user_password = true
  storage_encrypted           = true
  multi_az                    = true
}
