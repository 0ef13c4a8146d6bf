resource "aws_db_instance" "billing" {
  identifier                  = "billing"
  engine                      = "mysql"
  instance_class              = "db.r6g.large"
  allocated_storage           = 100
  username                    = "billing_admin"
  manage_master_user_password = true
  storage_encrypted           = true
  auto_minor_version_upgrade  = false
}
