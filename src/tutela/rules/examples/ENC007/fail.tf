resource "aws_elasticache_replication_group" "claims_cache" {
  replication_group_id = "claims-cache"
  description          = "Claims lookups"
  engine               = "redis"
  node_type            = "cache.m6g.large"
  num_cache_clusters   = 2
  # at_rest_encryption_enabled defaults to false for Redis
}
