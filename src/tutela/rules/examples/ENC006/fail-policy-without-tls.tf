# A bucket policy that grants access but never refuses non-TLS requests.
resource "aws_s3_bucket" "imaging" {
  bucket = "acme-imaging-studies"
}

resource "aws_s3_bucket_policy" "imaging" {
  bucket = aws_s3_bucket.imaging.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "ViewerRead"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111122223333:role/imaging-viewer" }
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.imaging.arn}/*"
      },
    ]
  })
}
