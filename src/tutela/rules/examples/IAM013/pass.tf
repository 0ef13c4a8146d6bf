resource "aws_elasticache_replication_group" "portal_sessions" {
  replication_group_id       = "portal-sessions"
  description                = "Patient portal sessions"
  engine                     = "redis"
  node_type                  = "cache.r7g.large"
  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  user_group_ids             = [aws_elasticache_user_group.portal.id]
}

resource "aws_elasticache_user_group" "portal" {
  engine        = "REDIS"
  user_group_id = "portal"
  user_ids      = ["default-disabled", "portal-app"]
}
