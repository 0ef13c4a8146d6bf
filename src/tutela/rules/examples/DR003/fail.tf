resource "aws_rds_cluster" "analytics" {
  cluster_identifier          = "analytics"
  engine                      = "aurora-mysql"
  master_username             = "analytics_admin"
  manage_master_user_password = true
  storage_encrypted           = true
}

resource "aws_rds_cluster_instance" "analytics_writer" {
  identifier         = "analytics-writer"
  cluster_identifier = aws_rds_cluster.analytics.id
  instance_class     = "db.r6g.large"
  engine             = "aurora-mysql"
}
