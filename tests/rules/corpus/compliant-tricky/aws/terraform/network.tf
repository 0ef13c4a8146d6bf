resource "aws_vpc" "main" {
  cidr_block           = var.vpc_cidr
  enable_dns_hostnames = true
}

# No rules declared: Terraform strips AWS's default "allow all between members" rules.
resource "aws_default_security_group" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_cloudwatch_log_group" "flow_logs" {
  name              = "/aws/vpc/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this["logs"].arn
}

resource "aws_flow_log" "main" {
  vpc_id          = aws_vpc.main.id
  traffic_type    = "ALL"
  log_destination = aws_cloudwatch_log_group.flow_logs.arn
  iam_role_arn    = aws_iam_role.flow_logs.arn
}

resource "aws_iam_role" "flow_logs" {
  name = "${var.name}-flow-logs"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "vpc-flow-logs.amazonaws.com" }
      Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
    }]
  })
}

# Public subnets: HTTPS in, SSH only from the VPN, return traffic on ephemeral ports.
resource "aws_network_acl" "public" {
  vpc_id = aws_vpc.main.id

  dynamic "ingress" {
    for_each = {
      100 = { action = "allow", cidr = var.admin_cidr, from = 22, to = 22 }
      110 = { action = "deny", cidr = "0.0.0.0/0", from = 22, to = 22 }
      120 = { action = "allow", cidr = "0.0.0.0/0", from = 443, to = 443 }
      130 = { action = "deny", cidr = "0.0.0.0/0", from = 3389, to = 3389 }
      140 = { action = "allow", cidr = "0.0.0.0/0", from = 1024, to = 65535 }
    }
    content {
      rule_no    = ingress.key
      protocol   = "tcp"
      action     = ingress.value.action
      cidr_block = ingress.value.cidr
      from_port  = ingress.value.from
      to_port    = ingress.value.to
    }
  }

  egress {
    rule_no    = 100
    protocol   = "-1"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
}

resource "aws_security_group" "database" {
  name        = "${var.name}-database"
  description = "PostgreSQL from the application tier only"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group" "app" {
  name        = "${var.name}-app"
  description = "Claims application"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "database_from_app" {
  security_group_id            = aws_security_group.database.id
  referenced_security_group_id = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}
