resource "aws_opensearch_domain" "records_search" {
  domain_name    = "records-search"
  engine_version = "OpenSearch_2.13"

  cluster_config {
    instance_type  = "r6g.large.search"
    instance_count = 3
  }

  node_to_node_encryption {
    enabled = true
  }

}
