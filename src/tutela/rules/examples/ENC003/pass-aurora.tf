# An Aurora cluster: storage encryption is declared on the cluster.
resource "aws_rds_cluster" "members" {
  cluster_identifier          = "members"
  engine                      = "aurora-postgresql"
  engine_version              = "16.2"
  master_username             = "members_admin"
  manage_master_user_password = true
  db_subnet_group_name        = "private-data-subnets"
  storage_encrypted           = true
}

resource "aws_rds_cluster_instance" "members" {
  count              = 2
  identifier         = "members-${count.index}"
  cluster_identifier = aws_rds_cluster.members.id
  instance_class     = "db.r6g.large"
  engine             = aws_rds_cluster.members.engine
}
