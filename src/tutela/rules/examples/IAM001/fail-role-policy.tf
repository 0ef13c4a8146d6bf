# An inline role policy written as a heredoc that grants "*" on "*".
resource "aws_iam_role" "ops_automation" {
  name = "ops-automation"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ssm.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "ops_automation" {
  name = "ops-automation"
  role = aws_iam_role.ops_automation.id

  policy = <<-JSON
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["*"],
          "Resource": ["*"]
        }
      ]
    }
  JSON
}
