resource "aws_secretsmanager_secret" "billing_db" {
  name = "billing/db"
}

resource "aws_secretsmanager_secret_rotation" "billing_db" {
  secret_id           = aws_secretsmanager_secret.billing_db.id
  rotation_lambda_arn = "arn:aws:lambda:us-east-1:111122223333:function:rotate-billing-db"

  rotation_rules {
    automatically_after_days = 30
  }
}
