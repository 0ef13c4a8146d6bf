resource "aws_opensearch_domain" "audit_search" {
  domain_name    = "audit-search"
  engine_version = "OpenSearch_2.13"

  log_publishing_options {
    log_type                 = "ES_APPLICATION_LOGS"
    cloudwatch_log_group_arn = "arn:aws:logs:us-east-1:111122223333:log-group:/aws/opensearch/audit-search/app"
  }
}
