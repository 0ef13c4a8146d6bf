# Nothing stops a `terraform destroy` from deleting this database.
resource "aws_db_instance" "appointments" {
  identifier                  = "appointments"
  engine                      = "mysql"
  engine_version              = "8.0.36"
  instance_class              = "db.m6g.large"
  allocated_storage           = 100
  username                    = "appointments_admin"
  manage_master_user_password = true
  storage_encrypted           = true
}
