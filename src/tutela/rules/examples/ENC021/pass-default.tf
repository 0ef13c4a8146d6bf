# RDS for PostgreSQL 15 and later forces TLS by default (rds.force_ssl = 1).
resource "aws_db_instance" "scheduling" {
  identifier                  = "scheduling"
  engine                      = "postgres"
  engine_version              = "16.3"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 20
  username                    = "scheduling_admin"
  manage_master_user_password = true
  storage_encrypted           = true
}
