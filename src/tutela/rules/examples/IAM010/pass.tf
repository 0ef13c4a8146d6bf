# A deployment identity without a console password.
resource "aws_iam_user" "report_exporter" {
  name = "report-exporter"
}
