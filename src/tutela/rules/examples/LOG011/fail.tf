resource "aws_rds_cluster" "billing" {
  cluster_identifier              = "billing"
  engine                          = "aurora-mysql"
  master_username                 = "billing_admin"
  manage_master_user_password     = true
  storage_encrypted               = true
  enabled_cloudwatch_logs_exports = ["error", "slowquery"]
}
