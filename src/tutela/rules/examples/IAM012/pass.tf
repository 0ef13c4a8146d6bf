data "aws_iam_policy_document" "deployer" {
  statement {
    actions   = ["ecs:UpdateService", "ecs:RegisterTaskDefinition"]
    resources = ["*"]
  }

  statement {
    actions   = ["iam:PassRole"]
    resources = ["arn:aws:iam::111122223333:role/records-api-task"]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_policy" "deployer" {
  name   = "records-deployer"
  policy = data.aws_iam_policy_document.deployer.json
}
