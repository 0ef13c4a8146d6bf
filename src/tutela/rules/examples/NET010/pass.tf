resource "aws_redshift_cluster" "claims_warehouse" {
  cluster_identifier     = "claims-warehouse"
  node_type              = "ra3.xlplus"
  master_username        = "warehouse_admin"
  manage_master_password = true
  encrypted              = true
  publicly_accessible    = false
}
