# Deletion protection on an Aurora cluster.
resource "aws_rds_cluster" "ledger" {
  cluster_identifier          = "ledger"
  engine                      = "aurora-postgresql"
  engine_version              = "16.2"
  master_username             = "ledger_admin"
  manage_master_user_password = true
  storage_encrypted           = true
  backup_retention_period     = 14
  deletion_protection         = true
}
