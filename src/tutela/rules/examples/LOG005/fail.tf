# Nobody can tell who read which object: no server access logging.
resource "aws_s3_bucket" "discharge_summaries" {
  bucket = "acme-discharge-summaries"
}
