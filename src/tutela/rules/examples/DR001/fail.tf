# A production database in a single availability zone.
resource "aws_db_instance" "pharmacy" {
  identifier                  = "pharmacy"
  engine                      = "postgres"
  engine_version              = "16.3"
  instance_class              = "db.r6g.xlarge"
  allocated_storage           = 500
  username                    = "pharmacy_admin"
  manage_master_user_password = true
  storage_encrypted           = true
  multi_az                    = false
}
