resource "aws_elasticache_replication_group" "job_queue" {
  replication_group_id       = "job-queue"
  description                = "Background job queue"
  engine                     = "redis"
  node_type                  = "cache.r7g.large"
  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  snapshot_retention_limit   = 7
  snapshot_window            = "03:00-05:00"
}
