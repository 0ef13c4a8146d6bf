# Automated backups switched off to save storage costs.
resource "aws_db_instance" "claims_staging" {
  identifier                  = "claims-staging"
  engine                      = "postgres"
  engine_version              = "16.3"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "claims_admin"
  manage_master_user_password = true
  storage_encrypted           = true
  backup_retention_period     = 0
  skip_final_snapshot         = true
}
