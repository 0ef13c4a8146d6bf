resource "aws_vpc" "records" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_flow_log" "records" {
  vpc_id               = aws_vpc.records.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::records-flow-logs"
}
