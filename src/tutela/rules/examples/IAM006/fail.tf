# A cross-account role whose trust policy lets any AWS principal assume it.
resource "aws_iam_role" "partner_access" {
  name = "partner-access"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { AWS = "*" }
      },
    ]
  })
}
