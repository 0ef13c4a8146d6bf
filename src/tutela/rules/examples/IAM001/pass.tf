# The report reader may read one bucket's objects, nothing else.
resource "aws_s3_bucket" "reports" {
  bucket = "acme-monthly-reports"
}

data "aws_iam_policy_document" "read_reports" {
  statement {
    sid       = "ReadReports"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = [aws_s3_bucket.reports.arn, "${aws_s3_bucket.reports.arn}/*"]
  }
}

resource "aws_iam_policy" "read_reports" {
  name   = "read-reports"
  policy = data.aws_iam_policy_document.read_reports.json
}
