resource "aws_opensearch_domain" "audit_search" {
  domain_name    = "audit-search"
  engine_version = "OpenSearch_2.13"
}
