resource "aws_redshift_cluster" "claims_warehouse" {
  cluster_identifier          = "claims-warehouse"
  node_type                   = "ra3.xlplus"
  number_of_nodes             = 2
  master_username             = "warehouse_admin"
  manage_master_password      = true
  encrypted                   = true
  kms_key_id                  = aws_kms_key.warehouse.arn
}

resource "aws_kms_key" "warehouse" {
  description         = "Claims warehouse"
  enable_key_rotation = true
}
