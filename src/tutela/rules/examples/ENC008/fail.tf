resource "aws_elasticache_replication_group" "claims_cache" {
  replication_group_id       = "claims-cache"
  description                = "Claims lookups"
  engine                     = "redis"
  node_type                  = "cache.m6g.large"
  at_rest_encryption_enabled = true
  transit_encryption_enabled = false
}
