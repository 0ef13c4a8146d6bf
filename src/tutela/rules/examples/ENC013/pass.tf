resource "aws_redshift_parameter_group" "warehouse_tls" {
  name   = "claims-warehouse-tls"
  family = "redshift-1.0"

  parameter {
    name  = "require_ssl"
    value = "true"
  }
}

resource "aws_redshift_cluster" "claims_warehouse" {
  cluster_identifier           = "claims-warehouse"
  node_type                    = "ra3.xlplus"
  master_username              = "warehouse_admin"
  manage_master_password       = true
  encrypted                    = true
  cluster_parameter_group_name = aws_redshift_parameter_group.warehouse_tls.name
}
