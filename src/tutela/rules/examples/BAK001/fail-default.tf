# No retention set: RDS keeps automated backups for one day only.
resource "aws_db_instance" "scheduling" {
  identifier                  = "scheduling"
  engine                      = "mysql"
  engine_version              = "8.0.36"
  instance_class              = "db.m6g.large"
  allocated_storage           = 100
  username                    = "scheduling_admin"
  manage_master_user_password = true
  storage_encrypted           = true
}
