# A MySQL instance whose storage is not encrypted (the provider default).
resource "aws_db_instance" "legacy_billing" {
  identifier                  = "legacy-billing"
  engine                      = "mysql"
  engine_version              = "8.0.36"
  instance_class              = "db.m6g.large"
  allocated_storage           = 100
  username                    = "billing_admin"
  manage_master_user_password = true
  db_subnet_group_name        = "private-data-subnets"
}
