resource "aws_redshift_cluster" "marketing_warehouse" {
  cluster_identifier     = "marketing-warehouse"
  node_type              = "ra3.xlplus"
  master_username        = "warehouse_admin"
  manage_master_password = true
  encrypted              = true
  publicly_accessible    = true
}
