resource "aws_sqs_queue" "fax_ingest" {
  name                    = "fax-ingest"
  sqs_managed_sse_enabled = false
}
