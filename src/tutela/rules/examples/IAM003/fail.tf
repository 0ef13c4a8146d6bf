# A CI user with a long-lived access key created by Terraform.
resource "aws_iam_user" "ci_deployer" {
  name = "ci-deployer"
  path = "/system/"
}

resource "aws_iam_access_key" "ci_deployer" {
  user = aws_iam_user.ci_deployer.name
}

output "ci_deployer_secret" {
  value     = aws_iam_access_key.ci_deployer.secret
  sensitive = true
}
