provider "aws" {
  alias  = "primary"
  region = "us-east-1"
}

provider "aws" {
  alias  = "dr"
  region = "us-west-2"
}

resource "aws_backup_vault" "records_dr" {
  provider = aws.dr
  name     = "records-dr"
}

resource "aws_backup_plan" "records" {
  provider = aws.primary
  name     = "records"

  rule {
    rule_name         = "daily"
    target_vault_name = "records"
    schedule          = "cron(0 5 * * ? *)"

    copy_action {
      destination_vault_arn = aws_backup_vault.records_dr.arn
    }
  }
}
