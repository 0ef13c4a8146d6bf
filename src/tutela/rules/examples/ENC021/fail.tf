# MySQL accepts plain-text connections unless require_secure_transport is ON.
resource "aws_db_instance" "billing" {
  identifier                  = "billing"
  engine                      = "mysql"
  engine_version              = "8.0.36"
  instance_class              = "db.r6g.large"
  allocated_storage           = 100
  username                    = "billing_admin"
  manage_master_user_password = true
  storage_encrypted           = true
}
