# Two weeks of automated backups and point-in-time recovery.
resource "aws_db_instance" "claims_prod" {
  identifier                  = "claims-prod"
  engine                      = "postgres"
  engine_version              = "16.3"
  instance_class              = "db.r6g.large"
  allocated_storage           = 200
  username                    = "claims_admin"
  manage_master_user_password = true
  storage_encrypted           = true
  backup_retention_period     = 14
  backup_window               = "03:00-04:00"
}
