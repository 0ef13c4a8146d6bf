resource "aws_rds_cluster_parameter_group" "claims" {
  name   = "claims-aurora"
  family = "aurora-postgresql15"

  parameter {
    name  = "rds.force_ssl"
    value = "0"
  }
}

resource "aws_rds_cluster" "claims" {
  cluster_identifier              = "claims"
  engine                          = "aurora-postgresql"
  engine_version                  = "15.6"
  master_username                 = "claims_admin"
  manage_master_user_password     = true
  storage_encrypted               = true
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.claims.name
}
