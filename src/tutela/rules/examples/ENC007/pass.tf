# Session cache for the patient portal: encrypted at rest under a customer-managed key.
resource "aws_elasticache_replication_group" "portal_sessions" {
  replication_group_id       = "portal-sessions"
  description                = "Patient portal sessions"
  engine                     = "redis"
  node_type                  = "cache.r7g.large"
  num_cache_clusters         = 2
  automatic_failover_enabled = true
  at_rest_encryption_enabled = true
  kms_key_id                 = aws_kms_key.portal_cache.arn
  transit_encryption_enabled = true
}

resource "aws_kms_key" "portal_cache" {
  description         = "Portal session cache"
  enable_key_rotation = true
}
