# A key policy that lets any AWS principal use and manage the key.
resource "aws_kms_key" "shared_exports" {
  description         = "Exports shared with partners"
  enable_key_rotation = true

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowEveryone"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "kms:*"
        Resource  = "*"
      },
    ]
  })
}
