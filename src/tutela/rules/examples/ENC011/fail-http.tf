resource "aws_opensearch_domain" "legacy_search" {
  domain_name    = "legacy-search"
  engine_version = "OpenSearch_2.13"

  cluster_config {
    instance_type  = "r6g.large.search"
    instance_count = 3
  }

}
