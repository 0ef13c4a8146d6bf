# No setting at all: SQS encrypts new queues with SQS-owned keys (SSE-SQS).
resource "aws_sqs_queue" "thumbnails" {
  name = "thumbnails"
}
