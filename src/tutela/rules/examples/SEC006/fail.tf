resource "aws_db_instance" "billing" {
  identifier        = "billing"
  engine            = "mysql"
  instance_class    = "db.r6g.large"
  allocated_storage = 100
  username          = "billing_admin"
  password          = "Summer2024!Billing"
  storage_encrypted = true
}
