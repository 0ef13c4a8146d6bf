resource "aws_redshift_parameter_group" "warehouse_plain" {
  name   = "marketing-warehouse"
  family = "redshift-1.0"

  parameter {
    name  = "enable_user_activity_logging"
    value = "true"
  }
}

resource "aws_redshift_cluster" "marketing_warehouse" {
  cluster_identifier           = "marketing-warehouse"
  node_type                    = "ra3.xlplus"
  master_username              = "warehouse_admin"
  manage_master_password       = true
  encrypted                    = true
  cluster_parameter_group_name = aws_redshift_parameter_group.warehouse_plain.name
}
