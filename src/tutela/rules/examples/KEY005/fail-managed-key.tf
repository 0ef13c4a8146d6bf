resource "aws_secretsmanager_secret" "patient_api" {
  name       = "patient-api/credentials"
  kms_key_id = "alias/aws/secretsmanager"

  tags = {
    DataClassification = "PHI"
  }
}
