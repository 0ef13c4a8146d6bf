# The database admits PostgreSQL only from the application tier's security group.
resource "aws_security_group" "app" {
  name        = "billing-app"
  description = "Billing application tier"
  vpc_id      = "vpc-0a1b2c3d4e5f67890"
}

resource "aws_security_group" "billing_db" {
  name        = "billing-db"
  description = "Billing database"
  vpc_id      = "vpc-0a1b2c3d4e5f67890"

  ingress {
    description     = "PostgreSQL from the app tier"
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }

  ingress {
    description = "PostgreSQL from the reporting subnet"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["10.30.8.0/24"]
  }
}
