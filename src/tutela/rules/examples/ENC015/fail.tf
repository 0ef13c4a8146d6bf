resource "aws_kinesis_stream" "clickstream" {
  name             = "clickstream"
  shard_count      = 2
  retention_period = 24
}
