resource "aws_opensearch_domain" "audit_search" {
  domain_name    = "audit-search"
  engine_version = "OpenSearch_2.13"

  cluster_config {
    instance_type  = "r6g.large.search"
    instance_count = 3
  }

}
