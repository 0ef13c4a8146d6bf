# Valkey replication groups are encrypted at rest unless told otherwise.
resource "aws_elasticache_replication_group" "rate_limits" {
  replication_group_id       = "rate-limits"
  description                = "API rate-limit counters"
  engine                     = "valkey"
  node_type                  = "cache.t4g.small"
  transit_encryption_enabled = true
}
