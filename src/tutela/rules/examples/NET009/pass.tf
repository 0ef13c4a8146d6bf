resource "aws_opensearch_domain" "records_search" {
  domain_name    = "records-search"
  engine_version = "OpenSearch_2.13"

  vpc_options {
    subnet_ids         = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
    security_group_ids = ["sg-0123456789abcdef0"]
  }
}
