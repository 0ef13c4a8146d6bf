resource "aws_db_instance" "records" {
  identifier                      = "records"
  engine                          = "postgres"
  instance_class                  = "db.r6g.large"
  allocated_storage               = 100
  username                        = "records_admin"
  manage_master_user_password     = true
  storage_encrypted               = true
  enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]
}
