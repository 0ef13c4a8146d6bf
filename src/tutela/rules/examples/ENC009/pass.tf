resource "aws_opensearch_domain" "records_search" {
  domain_name    = "records-search"
  engine_version = "OpenSearch_2.13"

  cluster_config {
    instance_type  = "r6g.large.search"
    instance_count = 3
  }

  encrypt_at_rest {
    enabled    = true
    kms_key_id = aws_kms_key.records_search.arn
  }

}

resource "aws_kms_key" "records_search" {
  description         = "Records search domain"
  enable_key_rotation = true
}
