resource "aws_elasticache_replication_group" "rate_limits" {
  replication_group_id       = "rate-limits"
  description                = "API rate limits"
  engine                     = "redis"
  node_type                  = "cache.t4g.small"
  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
}
