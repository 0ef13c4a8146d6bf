# Redis reachable from anywhere through a separate aws_security_group_rule.
resource "aws_security_group" "session_cache" {
  name        = "session-cache"
  description = "Session cache"
  vpc_id      = "vpc-0a1b2c3d4e5f67890"
}

resource "aws_security_group_rule" "session_cache_redis" {
  type              = "ingress"
  security_group_id = aws_security_group.session_cache.id
  from_port         = 6379
  to_port           = 6379
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}
