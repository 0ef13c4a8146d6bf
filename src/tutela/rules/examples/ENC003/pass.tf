# Storage encrypted under a customer-managed key.
resource "aws_kms_key" "claims_db" {
  description         = "Claims database storage"
  enable_key_rotation = true
}

resource "aws_db_instance" "claims_primary" {
  identifier                  = "claims-primary"
  engine                      = "postgres"
  engine_version              = "16.3"
  instance_class              = "db.r6g.large"
  allocated_storage           = 200
  username                    = "claims_admin"
  manage_master_user_password = true
  db_subnet_group_name        = "private-data-subnets"
  storage_encrypted           = true
  kms_key_id                  = aws_kms_key.claims_db.arn
}
