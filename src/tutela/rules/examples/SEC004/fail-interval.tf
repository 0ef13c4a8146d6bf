resource "aws_secretsmanager_secret" "lab_partner" {
  name = "lab-partner/token"
}

resource "aws_secretsmanager_secret_rotation" "lab_partner" {
  secret_id           = aws_secretsmanager_secret.lab_partner.id
  rotation_lambda_arn = "arn:aws:lambda:us-east-1:111122223333:function:rotate-lab-token"

  rotation_rules {
    schedule_expression = "rate(180 days)"
  }
}
