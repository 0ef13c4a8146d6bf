resource "aws_rds_cluster" "records" {
  cluster_identifier          = "records"
  engine                      = "aurora-postgresql"
  master_username             = "records_admin"
  manage_master_user_password = true
  storage_encrypted           = true
}

resource "aws_rds_cluster_instance" "records" {
  count              = 2
  identifier         = "records-${count.index}"
  cluster_identifier = aws_rds_cluster.records.id
  instance_class     = "db.r6g.large"
  engine             = aws_rds_cluster.records.engine
}
