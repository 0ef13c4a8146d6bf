resource "aws_redshift_cluster" "claims_warehouse" {
  cluster_identifier     = "claims-warehouse"
  node_type              = "ra3.xlplus"
  master_username        = "warehouse_admin"
  manage_master_password = true
  encrypted              = true
}

resource "aws_redshift_logging" "claims_warehouse" {
  cluster_identifier   = aws_redshift_cluster.claims_warehouse.id
  log_destination_type = "cloudwatch"
  log_exports          = ["connectionlog", "userlog", "useractivitylog"]
}
