resource "aws_rds_cluster_parameter_group" "claims" {
  name   = "${var.name}-aurora-pg15"
  family = "aurora-postgresql15"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "pgaudit.log"
    value = "ddl,role"
  }
}

resource "aws_rds_cluster" "claims" {
  cluster_identifier                  = "${var.name}-claims"
  engine                              = "aurora-postgresql"
  engine_version                      = "15.6"
  master_username                     = "claims_admin"
  manage_master_user_password         = true
  storage_encrypted                   = true
  kms_key_id                          = aws_kms_key.this["data"].arn
  backup_retention_period             = 35
  deletion_protection                 = true
  iam_database_authentication_enabled = true
  db_cluster_parameter_group_name     = aws_rds_cluster_parameter_group.claims.name
  enabled_cloudwatch_logs_exports     = ["postgresql"]
  vpc_security_group_ids              = [aws_security_group.database.id]
}

resource "aws_rds_cluster_instance" "claims" {
  count = 2

  identifier                 = "${var.name}-claims-${count.index}"
  cluster_identifier         = aws_rds_cluster.claims.id
  instance_class             = "db.r6g.large"
  engine                     = aws_rds_cluster.claims.engine
  engine_version             = aws_rds_cluster.claims.engine_version
  publicly_accessible        = false
  auto_minor_version_upgrade = true
}
