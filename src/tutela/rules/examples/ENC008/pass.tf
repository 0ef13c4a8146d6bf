resource "aws_elasticache_replication_group" "portal_sessions" {
  replication_group_id       = "portal-sessions"
  description                = "Patient portal sessions"
  engine                     = "redis"
  node_type                  = "cache.r7g.large"
  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
}
