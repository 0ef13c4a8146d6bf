"""Deterministic generator of realistic IaC corpora for benchmarks.

    python bench/generate.py --resources 5000 --seed 1 --out /tmp/syn-5000
    python bench/generate.py --format kubernetes --resources 2000 --out /tmp/k8s
    python bench/generate.py --format cloudformation --resources 2000 --out /tmp/cfn

Terraform (the default) writes a monorepo of service root modules under
`services/`, each made of "bundles" (an S3 bucket with its split companion
resources, a KMS key, a security group in one of four styles, IAM policies in
jsonencode / heredoc / aws_iam_policy_document styles, RDS, CloudTrail, Lambda
with for_each, EKS, ECR, log groups, ALB listeners, EBS, EC2, DynamoDB, SNS/SQS),
spread over one file per bundle kind, with variables, locals, tfvars, and calls
to shared local modules under `modules/` (one with for_each). About
`--compliant-ratio` of the bundles are compliant; each other bundle gets one or
two injected violations.

`corpus-manifest.json` records every bundle: its directory, kind, style, the
resources it declares (type, name, instance count) and its violations, so a
benchmark can check which tool found which problem. `resources` in the manifest
counts managed resource instances after count/for_each expansion (data sources
excluded), the number `tutela scan` reports.

Same arguments, same bytes: everything derives from `--seed`.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Violation ids, with the tutela rule that must flag them. compare.py maps
# Checkov's checks onto these ids too.
VIOLATIONS: dict[str, str] = {
    "s3_no_encryption": "ENC001",
    "s3_no_versioning": "BAK002",
    "s3_no_access_logging": "LOG005",
    "kms_no_rotation": "KEY001",
    "sg_open_ssh": "NET001",
    "sg_open_rdp": "NET001",
    "iam_wildcard_admin": "IAM001",
    "rds_unencrypted": "ENC003",
    "rds_public": "NET003",
    "rds_single_az": "DR001",
    "rds_no_deletion_protection": "DR002",
    "rds_short_backup": "BAK001",
    "trail_single_region": "LOG001",
    "trail_no_log_validation": "LOG002",
    "trail_no_kms": "LOG003",
    "lambda_no_tracing": "FN002",
    "lambda_plaintext_secret": "SEC001",
    "eks_no_control_plane_logs": "LOG006",
    "eks_public_endpoint": "NET005",
    "ecr_no_scan_on_push": "CTR011",
    "ecr_mutable_tags": "CTR012",
    "log_short_retention": "LOG004",
    "listener_plain_http": "ENC004",
    "ebs_unencrypted": "ENC002",
    "ec2_imdsv1": "NET004",
}


@dataclass
class Bundle:
    """One group of related resources, as the manifest records it."""

    kind: str
    style: str
    text: str
    resources: list[tuple[str, str, int]]  # (type, name, instances)
    data: list[tuple[str, str]] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)


def _b(flag: bool) -> str:
    return "true" if flag else "false"


# --------------------------------------------------------------------------- bundle kinds
# Each takes (index, violations to inject, rng) and returns a Bundle. Names carry
# the index so that every bundle's resources are unique within its service.


def _s3(j: int, bad: set[str], rng: random.Random) -> Bundle:
    n = f"data{j}"
    res: list[tuple[str, str, int]] = [("aws_s3_bucket", n, 1), ("aws_kms_key", n, 1)]
    data: list[tuple[str, str]] = [("aws_iam_policy_document", f"{n}_tls")]
    style = rng.choice(["ephi", "internal", "artifacts"])
    text = f'''
resource "aws_kms_key" "{n}" {{
  description             = "${{local.name}} {n} bucket key"
  deletion_window_in_days = 30
  enable_key_rotation     = true
  tags                    = local.tags
}}

resource "aws_s3_bucket" "{n}" {{
  bucket = "${{local.name}}-{n}"
  tags = merge(local.tags, {{
    Name                = "${{local.name}}-{n}"
    data_classification = "{style}"
  }})
}}

resource "aws_s3_bucket_public_access_block" "{n}" {{
  bucket                  = aws_s3_bucket.{n}.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}}

data "aws_iam_policy_document" "{n}_tls" {{
  statement {{
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.{n}.arn,
      "${{aws_s3_bucket.{n}.arn}}/*",
    ]
    principals {{
      type        = "*"
      identifiers = ["*"]
    }}
    condition {{
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }}
  }}
}}

resource "aws_s3_bucket_policy" "{n}" {{
  bucket = aws_s3_bucket.{n}.id
  policy = data.aws_iam_policy_document.{n}_tls.json
}}
'''
    res += [("aws_s3_bucket_public_access_block", n, 1), ("aws_s3_bucket_policy", n, 1)]
    if "s3_no_encryption" not in bad:
        text += f'''
resource "aws_s3_bucket_server_side_encryption_configuration" "{n}" {{
  bucket = aws_s3_bucket.{n}.id

  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.{n}.arn
    }}
    bucket_key_enabled = true
  }}
}}
'''
        res.append(("aws_s3_bucket_server_side_encryption_configuration", n, 1))
    if "s3_no_versioning" not in bad:
        text += f'''
resource "aws_s3_bucket_versioning" "{n}" {{
  bucket = aws_s3_bucket.{n}.id
  versioning_configuration {{
    status = "Enabled"
  }}
}}
'''
        res.append(("aws_s3_bucket_versioning", n, 1))
    if "s3_no_access_logging" not in bad:
        text += f'''
resource "aws_s3_bucket_logging" "{n}" {{
  bucket        = aws_s3_bucket.{n}.id
  target_bucket = module.logs.bucket_id
  target_prefix = "s3/{n}/"
}}
'''
        res.append(("aws_s3_bucket_logging", n, 1))
    return Bundle("s3", style, text, res, data)


def _kms(j: int, bad: set[str], rng: random.Random) -> Bundle:
    n = f"key{j}"
    rotation = "kms_no_rotation" not in bad
    text = f'''
resource "aws_kms_key" "{n}" {{
  description             = "${{local.name}} {n}"
  deletion_window_in_days = {rng.choice([14, 30])}
  enable_key_rotation     = {_b(rotation)}
  tags                    = local.tags
}}

resource "aws_kms_alias" "{n}" {{
  name          = "alias/${{local.name}}-{n}"
  target_key_id = aws_kms_key.{n}.key_id
}}
'''
    return Bundle("kms", "key", text, [("aws_kms_key", n, 1), ("aws_kms_alias", n, 1)])


def _sg_ingress(bad: set[str]) -> list[tuple[int, str]]:
    rules = [(443, "var.internal_cidrs")]
    if "sg_open_ssh" in bad:
        rules.append((22, '["0.0.0.0/0"]'))
    if "sg_open_rdp" in bad:
        rules.append((3389, '["0.0.0.0/0"]'))
    return rules


def _sg(j: int, bad: set[str], rng: random.Random) -> Bundle:
    n = f"svc{j}"
    style = rng.choice(["inline", "rule", "vpc-rule", "dynamic"])
    ingress = _sg_ingress(bad)
    head = f'''
resource "aws_security_group" "{n}" {{
  name        = "${{local.name}}-{n}"
  description = "{n} service traffic"
  vpc_id      = var.vpc_id
'''
    egress = '''
  egress {
    description = "all outbound"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
'''
    res: list[tuple[str, str, int]] = [("aws_security_group", n, 1)]
    if style == "inline":
        blocks = "".join(
            f'''
  ingress {{
    description = "port {port}"
    from_port   = {port}
    to_port     = {port}
    protocol    = "tcp"
    cidr_blocks = {cidr}
  }}
'''
            for port, cidr in ingress
        )
        text = head + blocks + egress + "  tags = local.tags\n}\n"
    elif style == "dynamic":
        items = ",\n".join(
            f'    {{ port = {port}, cidrs = {cidr} }}' for port, cidr in ingress
        )
        text = (
            f"\nlocals {{\n  {n}_ingress = [\n{items}\n  ]\n}}\n"
            + head
            + f'''
  dynamic "ingress" {{
    for_each = local.{n}_ingress
    content {{
      description = "port ${{ingress.value.port}}"
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = ingress.value.cidrs
    }}
  }}
'''
            + egress
            + "  tags = local.tags\n}\n"
        )
    elif style == "rule":
        text = head + egress + "  tags = local.tags\n}\n"
        for port, cidr in ingress:
            text += f'''
resource "aws_security_group_rule" "{n}_{port}" {{
  type              = "ingress"
  description       = "port {port}"
  security_group_id = aws_security_group.{n}.id
  from_port         = {port}
  to_port           = {port}
  protocol          = "tcp"
  cidr_blocks       = {cidr}
}}
'''
            res.append(("aws_security_group_rule", f"{n}_{port}", 1))
    else:
        text = head + "  tags = local.tags\n}\n"
        for port, cidr in ingress:
            one = "var.internal_cidrs[0]" if cidr.startswith("var.") else '"0.0.0.0/0"'
            text += f'''
resource "aws_vpc_security_group_ingress_rule" "{n}_{port}" {{
  security_group_id = aws_security_group.{n}.id
  description       = "port {port}"
  cidr_ipv4         = {one}
  from_port         = {port}
  to_port           = {port}
  ip_protocol       = "tcp"
}}
'''
            res.append(("aws_vpc_security_group_ingress_rule", f"{n}_{port}", 1))
        text += f'''
resource "aws_vpc_security_group_egress_rule" "{n}_all" {{
  security_group_id = aws_security_group.{n}.id
  description       = "all outbound"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}}
'''
        res.append(("aws_vpc_security_group_egress_rule", f"{n}_all", 1))
    return Bundle("sg", style, text, res)


def _iam(j: int, bad: set[str], rng: random.Random) -> Bundle:
    n = f"app{j}"
    style = rng.choice(["jsonencode", "heredoc", "policy-document"])
    admin = "iam_wildcard_admin" in bad
    actions = ['"*"'] if admin else ['"s3:GetObject"', '"s3:PutObject"']
    resource = '"*"' if admin else f'"arn:aws:s3:::${{local.name}}-{n}/*"'
    res: list[tuple[str, str, int]] = [("aws_iam_role", n, 1)]
    data: list[tuple[str, str]] = []
    text = f'''
resource "aws_iam_role" "{n}" {{
  name = "${{local.name}}-{n}"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = {{ Service = "lambda.amazonaws.com" }}
    }}]
  }})
  tags = local.tags
}}
'''
    if style == "jsonencode":
        text += f'''
resource "aws_iam_policy" "{n}" {{
  name        = "${{local.name}}-{n}"
  description = "{n} access"
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Sid      = "App"
      Effect   = "Allow"
      Action   = [{", ".join(actions)}]
      Resource = {resource}
    }}]
  }})
}}

resource "aws_iam_role_policy_attachment" "{n}" {{
  role       = aws_iam_role.{n}.name
  policy_arn = aws_iam_policy.{n}.arn
}}
'''
        res += [("aws_iam_policy", n, 1), ("aws_iam_role_policy_attachment", n, 1)]
    elif style == "heredoc":
        action_json = '"*"' if admin else '["s3:GetObject", "s3:PutObject"]'
        res_json = '"*"' if admin else f'"arn:aws:s3:::acme-{n}/*"'
        text += f'''
resource "aws_iam_role_policy" "{n}" {{
  name = "{n}-inline"
  role = aws_iam_role.{n}.id
  policy = <<-EOT
    {{
      "Version": "2012-10-17",
      "Statement": [
        {{
          "Sid": "App",
          "Effect": "Allow",
          "Action": {action_json},
          "Resource": {res_json}
        }}
      ]
    }}
  EOT
}}
'''
        res.append(("aws_iam_role_policy", n, 1))
    else:
        text += f'''
data "aws_iam_policy_document" "{n}" {{
  statement {{
    sid       = "App"
    effect    = "Allow"
    actions   = [{", ".join(actions)}]
    resources = [{resource}]
  }}
}}

resource "aws_iam_policy" "{n}" {{
  name   = "${{local.name}}-{n}"
  policy = data.aws_iam_policy_document.{n}.json
}}

resource "aws_iam_role_policy_attachment" "{n}" {{
  role       = aws_iam_role.{n}.name
  policy_arn = aws_iam_policy.{n}.arn
}}
'''
        res += [("aws_iam_policy", n, 1), ("aws_iam_role_policy_attachment", n, 1)]
        data.append(("aws_iam_policy_document", n))
    return Bundle("iam", style, text, res, data)


def _rds(j: int, bad: set[str], rng: random.Random) -> Bundle:
    n = f"db{j}"
    engine = rng.choice(["postgres", "mysql"])
    text = f'''
resource "aws_db_subnet_group" "{n}" {{
  name       = "${{local.name}}-{n}"
  subnet_ids = var.subnet_ids
}}

resource "aws_db_instance" "{n}" {{
  identifier                          = "${{local.name}}-{n}"
  engine                              = "{engine}"
  instance_class                      = var.env == "prod" ? "db.r6g.large" : "db.t4g.small"
  allocated_storage                   = {rng.choice([20, 50, 100])}
  db_subnet_group_name                = aws_db_subnet_group.{n}.name
  username                            = "app"
  manage_master_user_password         = true
  storage_encrypted                   = {_b("rds_unencrypted" not in bad)}
  kms_key_id                          = var.kms_key_arn
  publicly_accessible                 = {_b("rds_public" in bad)}
  multi_az                            = {_b("rds_single_az" not in bad)}
  deletion_protection                 = {_b("rds_no_deletion_protection" not in bad)}
  backup_retention_period             = {1 if "rds_short_backup" in bad else 14}
  iam_database_authentication_enabled = true
  auto_minor_version_upgrade          = true
  copy_tags_to_snapshot               = true
  monitoring_interval                 = 60
  performance_insights_enabled        = true
  enabled_cloudwatch_logs_exports     = ["{"postgresql" if engine == "postgres" else "error"}"]
  skip_final_snapshot                 = false
  tags                                = local.tags
}}
'''
    return Bundle("rds", engine, text, [("aws_db_subnet_group", n, 1), ("aws_db_instance", n, 1)])


def _trail(j: int, bad: set[str], rng: random.Random) -> Bundle:
    n = f"audit{j}"
    kms = (
        ""
        if "trail_no_kms" in bad
        else f"\n  kms_key_id                    = aws_kms_key.{n}.arn"
    )
    text = f'''
resource "aws_kms_key" "{n}" {{
  description         = "${{local.name}} {n} trail key"
  enable_key_rotation = true
}}

resource "aws_cloudwatch_log_group" "{n}" {{
  name              = "/aws/cloudtrail/${{local.name}}-{n}"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.{n}.arn
}}

resource "aws_cloudtrail" "{n}" {{
  name                          = "${{local.name}}-{n}"
  s3_bucket_name                = var.log_bucket
  is_multi_region_trail         = {_b("trail_single_region" not in bad)}
  include_global_service_events = true
  enable_log_file_validation    = {_b("trail_no_log_validation" not in bad)}{kms}
  cloud_watch_logs_group_arn    = "${{aws_cloudwatch_log_group.{n}.arn}}:*"
  cloud_watch_logs_role_arn     = var.trail_role_arn

  event_selector {{
    read_write_type           = "All"
    include_management_events = true
  }}
  tags = local.tags
}}
'''
    res = [("aws_kms_key", n, 1), ("aws_cloudwatch_log_group", n, 1), ("aws_cloudtrail", n, 1)]
    return Bundle("cloudtrail", "trail", text, res)


def _lambda(j: int, bad: set[str], rng: random.Random) -> Bundle:
    n = f"fn{j}"
    secret = (
        f'"pw-{rng.getrandbits(48):012x}"'
        if "lambda_plaintext_secret" in bad
        else "var.db_secret_arn"
    )
    key = "DB_PASSWORD" if "lambda_plaintext_secret" in bad else "DB_SECRET_ARN"
    tracing = "PassThrough" if "lambda_no_tracing" in bad else "Active"
    text = f'''
resource "aws_lambda_function" "{n}" {{
  for_each      = toset(var.stages)
  function_name = "${{local.name}}-{n}-${{each.key}}"
  role          = var.lambda_role_arn
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "${{path.module}}/build/{n}.zip"
  timeout       = 30
  memory_size   = {rng.choice([128, 256, 512])}
  kms_key_arn   = var.kms_key_arn

  environment {{
    variables = {{
      STAGE = each.key
      {key} = {secret}
    }}
  }}

  tracing_config {{
    mode = "{tracing}"
  }}

  vpc_config {{
    subnet_ids         = var.subnet_ids
    security_group_ids = [var.default_sg_id]
  }}
  tags = local.tags
}}
'''
    return Bundle("lambda", "for_each", text, [("aws_lambda_function", n, 2)])


def _eks(j: int, bad: set[str], rng: random.Random) -> Bundle:
    n = f"k8s{j}"
    logs = (
        ""
        if "eks_no_control_plane_logs" in bad
        else '\n  enabled_cluster_log_types = ["api", "audit", "authenticator", '
        '"controllerManager", "scheduler"]'
    )
    public = "eks_public_endpoint" in bad
    text = f'''
resource "aws_eks_cluster" "{n}" {{
  name     = "${{local.name}}-{n}"
  role_arn = var.eks_role_arn
  version  = "1.29"{logs}

  vpc_config {{
    subnet_ids              = var.subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = {_b(public)}
    public_access_cidrs     = {'["0.0.0.0/0"]' if public else "var.internal_cidrs"}
  }}

  encryption_config {{
    resources = ["secrets"]
    provider {{
      key_arn = var.kms_key_arn
    }}
  }}
  tags = local.tags
}}
'''
    return Bundle("eks", "cluster", text, [("aws_eks_cluster", n, 1)])


def _ecr(j: int, bad: set[str], rng: random.Random) -> Bundle:
    n = f"repo{j}"
    mutability = "MUTABLE" if "ecr_mutable_tags" in bad else "IMMUTABLE"
    text = f'''
resource "aws_ecr_repository" "{n}" {{
  name                 = "${{local.name}}/{n}"
  image_tag_mutability = "{mutability}"

  image_scanning_configuration {{
    scan_on_push = {_b("ecr_no_scan_on_push" not in bad)}
  }}

  encryption_configuration {{
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }}
  tags = local.tags
}}

resource "aws_ecr_lifecycle_policy" "{n}" {{
  repository = aws_ecr_repository.{n}.name
  policy = jsonencode({{
    rules = [{{
      rulePriority = 1
      description  = "keep 30 images"
      selection    = {{ tagStatus = "any", countType = "imageCountMoreThan", countNumber = 30 }}
      action       = {{ type = "expire" }}
    }}]
  }})
}}
'''
    res = [("aws_ecr_repository", n, 1), ("aws_ecr_lifecycle_policy", n, 1)]
    return Bundle("ecr", "repository", text, res)


def _logs(j: int, bad: set[str], rng: random.Random) -> Bundle:
    n = f"logs{j}"
    days = rng.choice([7, 30, 90]) if "log_short_retention" in bad else rng.choice([365, 731])
    count = rng.choice([1, 2, 3])
    text = f'''
resource "aws_cloudwatch_log_group" "{n}" {{
  count             = {count}
  name              = "/app/${{local.name}}/{n}-${{count.index}}"
  retention_in_days = {days}
  kms_key_id        = var.kms_key_arn
  tags              = local.tags
}}
'''
    return Bundle("logs", "count", text, [("aws_cloudwatch_log_group", n, count)])


def _alb(j: int, bad: set[str], rng: random.Random) -> Bundle:
    n = f"web{j}"
    res: list[tuple[str, str, int]] = [
        ("aws_lb", n, 1),
        ("aws_lb_target_group", n, 1),
        ("aws_lb_listener", f"{n}_https", 1),
    ]
    text = f'''
resource "aws_lb" "{n}" {{
  name                       = "${{local.name}}-{n}"
  internal                   = false
  load_balancer_type         = "application"
  subnets                    = var.subnet_ids
  drop_invalid_header_fields = true
  enable_deletion_protection = true

  access_logs {{
    bucket  = var.log_bucket
    prefix  = "alb/{n}"
    enabled = true
  }}
  tags = local.tags
}}

resource "aws_lb_target_group" "{n}" {{
  name     = "${{local.name}}-{n}"
  port     = 8443
  protocol = "HTTPS"
  vpc_id   = var.vpc_id
}}

resource "aws_lb_listener" "{n}_https" {{
  load_balancer_arn = aws_lb.{n}.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {{
    type             = "forward"
    target_group_arn = aws_lb_target_group.{n}.arn
  }}
}}
'''
    if "listener_plain_http" in bad:
        text += f'''
resource "aws_lb_listener" "{n}_http" {{
  load_balancer_arn = aws_lb.{n}.arn
  port              = 80
  protocol          = "HTTP"

  default_action {{
    type             = "forward"
    target_group_arn = aws_lb_target_group.{n}.arn
  }}
}}
'''
        res.append(("aws_lb_listener", f"{n}_http", 1))
    elif rng.random() < 0.5:
        text += f'''
resource "aws_lb_listener" "{n}_http" {{
  load_balancer_arn = aws_lb.{n}.arn
  port              = 80
  protocol          = "HTTP"

  default_action {{
    type = "redirect"
    redirect {{
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }}
  }}
}}
'''
        res.append(("aws_lb_listener", f"{n}_http", 1))
    return Bundle("alb", "listener", text, res)


def _compute(j: int, bad: set[str], rng: random.Random) -> Bundle:
    n = f"node{j}"
    res: list[tuple[str, str, int]] = [("aws_instance", n, 1), ("aws_ebs_volume", n, 1),
                                       ("aws_volume_attachment", n, 1)]
    text = f'''
resource "aws_instance" "{n}" {{
  ami                  = var.ami_id
  instance_type        = "{rng.choice(["t3.medium", "m6i.large", "c6i.xlarge"])}"
  subnet_id            = var.subnet_ids[0]
  monitoring           = true
  ebs_optimized        = true
  iam_instance_profile = var.instance_profile

  metadata_options {{
    http_endpoint = "enabled"
    http_tokens   = "{"optional" if "ec2_imdsv1" in bad else "required"}"
  }}

  root_block_device {{
    encrypted = true
  }}
  tags = merge(local.tags, {{ Name = "${{local.name}}-{n}" }})
}}

resource "aws_ebs_volume" "{n}" {{
  availability_zone = "${{var.region}}a"
  size              = {rng.choice([50, 100, 200])}
  encrypted         = {_b("ebs_unencrypted" not in bad)}
  tags              = local.tags
}}

resource "aws_volume_attachment" "{n}" {{
  device_name = "/dev/sdf"
  volume_id   = aws_ebs_volume.{n}.id
  instance_id = aws_instance.{n}.id
}}
'''
    return Bundle("compute", "instance", text, res)


def _dynamo(j: int, bad: set[str], rng: random.Random) -> Bundle:
    n = f"table{j}"
    text = f'''
resource "aws_dynamodb_table" "{n}" {{
  name         = "${{local.name}}-{n}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"

  attribute {{
    name = "pk"
    type = "S"
  }}
  attribute {{
    name = "sk"
    type = "S"
  }}
  point_in_time_recovery {{
    enabled = true
  }}
  server_side_encryption {{
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }}
  tags = local.tags
}}
'''
    return Bundle("dynamodb", "table", text, [("aws_dynamodb_table", n, 1)])


def _messaging(j: int, bad: set[str], rng: random.Random) -> Bundle:
    n = f"events{j}"
    text = f'''
resource "aws_sns_topic" "{n}" {{
  name              = "${{local.name}}-{n}"
  kms_master_key_id = var.kms_key_arn
}}

resource "aws_sqs_queue" "{n}" {{
  name                      = "${{local.name}}-{n}"
  kms_master_key_id         = var.kms_key_arn
  message_retention_seconds = 345600
}}

resource "aws_sns_topic_subscription" "{n}" {{
  topic_arn = aws_sns_topic.{n}.arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.{n}.arn
}}
'''
    res = [("aws_sns_topic", n, 1), ("aws_sqs_queue", n, 1), ("aws_sns_topic_subscription", n, 1)]
    return Bundle("messaging", "sns-sqs", text, res)


Kind = Callable[[int, set[str], random.Random], Bundle]

# kind -> (builder, the violations it can carry, relative weight)
KINDS: dict[str, tuple[Kind, tuple[str, ...], int]] = {
    "s3": (_s3, ("s3_no_encryption", "s3_no_versioning", "s3_no_access_logging"), 4),
    "kms": (_kms, ("kms_no_rotation",), 2),
    "sg": (_sg, ("sg_open_ssh", "sg_open_rdp"), 3),
    "iam": (_iam, ("iam_wildcard_admin",), 3),
    "rds": (
        _rds,
        ("rds_unencrypted", "rds_public", "rds_single_az", "rds_no_deletion_protection",
         "rds_short_backup"),
        2,
    ),
    "cloudtrail": (_trail, ("trail_single_region", "trail_no_log_validation", "trail_no_kms"), 1),
    "lambda": (_lambda, ("lambda_no_tracing", "lambda_plaintext_secret"), 2),
    "eks": (_eks, ("eks_no_control_plane_logs", "eks_public_endpoint"), 1),
    "ecr": (_ecr, ("ecr_no_scan_on_push", "ecr_mutable_tags"), 2),
    "logs": (_logs, ("log_short_retention",), 2),
    "alb": (_alb, ("listener_plain_http",), 1),
    "compute": (_compute, ("ebs_unencrypted", "ec2_imdsv1"), 2),
    "dynamodb": (_dynamo, (), 1),
    "messaging": (_messaging, (), 1),
}

# --------------------------------------------------------------------------- service scaffolding

VARIABLES = '''variable "env" {
  description = "Deployment environment"
  type        = string
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "team" {
  type    = string
  default = "platform"
}

variable "vpc_id" {
  type    = string
  default = "vpc-0a1b2c3d4e5f67890"
}

variable "subnet_ids" {
  type    = list(string)
  default = ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]
}

variable "internal_cidrs" {
  type    = list(string)
  default = ["10.0.0.0/8"]
}

variable "stages" {
  type    = list(string)
  default = ["api", "worker"]
}

variable "log_bucket" {
  type    = string
  default = "acme-central-logs"
}

variable "kms_key_arn" {
  type    = string
  default = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
}

variable "db_secret_arn" {
  type    = string
  default = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app-db-AbCdEf"
}

variable "lambda_role_arn" {
  type    = string
  default = "arn:aws:iam::123456789012:role/app-lambda"
}

variable "eks_role_arn" {
  type    = string
  default = "arn:aws:iam::123456789012:role/eks-cluster"
}

variable "trail_role_arn" {
  type    = string
  default = "arn:aws:iam::123456789012:role/cloudtrail-logs"
}

variable "certificate_arn" {
  type    = string
  default = "arn:aws:acm:us-east-1:123456789012:certificate/abcd-1234"
}

variable "default_sg_id" {
  type    = string
  default = "sg-0123456789abcdef0"
}

variable "ami_id" {
  type    = string
  default = "ami-0abcdef1234567890"
}

variable "instance_profile" {
  type    = string
  default = "app-instance"
}
'''

VERSIONS = '''terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
}

provider "aws" {
  region = var.region
}
'''

LOG_BUCKET_MODULE_MAIN = '''resource "aws_s3_bucket" "this" {
  bucket = var.name
  tags   = var.tags
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
  }
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
'''

LOG_BUCKET_MODULE_VARS = '''variable "name" {
  type = string
}

variable "kms_key_arn" {
  type = string
}

variable "tags" {
  type    = map(string)
  default = {}
}
'''

LOG_BUCKET_MODULE_OUT = '''output "bucket_id" {
  value = aws_s3_bucket.this.id
}

output "bucket_arn" {
  value = aws_s3_bucket.this.arn
}
'''

# Resources the shared module declares (per call).
LOG_BUCKET_RESOURCES = (
    "aws_s3_bucket",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_public_access_block",
)

PARAM_MODULE_MAIN = '''resource "aws_ssm_parameter" "this" {
  for_each = var.parameters
  name     = "/${var.prefix}/${each.key}"
  type     = "String"
  value    = each.value
  tags     = var.tags
}
'''

PARAM_MODULE_VARS = '''variable "prefix" {
  type = string
}

variable "parameters" {
  type = map(string)
}

variable "tags" {
  type    = map(string)
  default = {}
}
'''


def _service_files(
    name: str, env: str, bundles: list[Bundle], params: int
) -> dict[str, str]:
    files: dict[str, str] = {
        "versions.tf": VERSIONS,
        "variables.tf": VARIABLES,
        "terraform.tfvars": f'env  = "{env}"\nteam = "{name.split("-")[0]}"\n',
        "locals.tf": f'''locals {{
  name = "${{var.team}}-{name.split("-")[1]}-${{var.env}}"
  tags = {{
    team        = var.team
    service     = "{name}"
    environment = var.env
    managed_by  = "terraform"
  }}
}}
''',
    }
    params_map = "\n".join(f'    "setting_{k}" = "value-{k}"' for k in range(params))
    files["main.tf"] = f'''module "logs" {{
  source      = "../../modules/log_bucket"
  name        = "${{local.name}}-access-logs"
  kms_key_arn = var.kms_key_arn
  tags        = local.tags
}}

module "config" {{
  source = "../../modules/parameters"
  prefix = local.name
  parameters = {{
{params_map}
  }}
  tags = local.tags
}}
'''
    by_kind: dict[str, list[str]] = {}
    for b in bundles:
        by_kind.setdefault(b.kind, []).append(b.text)
    for kind, texts in by_kind.items():
        files[f"{kind}.tf"] = "".join(texts).lstrip("\n")
    files["outputs.tf"] = '''output "log_bucket_arn" {
  value = module.logs.bucket_arn
}
'''
    return files


def generate_terraform(
    out: Path, resources: int, *, seed: int = 1, per_module: int = 50, compliant_ratio: float = 0.5
) -> dict[str, Any]:
    """Write the Terraform corpus under `out` and return its manifest."""
    rng = random.Random(seed)
    kinds = list(KINDS)
    weights = [KINDS[k][2] for k in kinds]
    shared = {
        "modules/log_bucket": {
            "main.tf": LOG_BUCKET_MODULE_MAIN,
            "variables.tf": LOG_BUCKET_MODULE_VARS,
            "outputs.tf": LOG_BUCKET_MODULE_OUT,
        },
        "modules/parameters": {"main.tf": PARAM_MODULE_MAIN, "variables.tf": PARAM_MODULE_VARS},
    }
    written: dict[str, str] = {}
    for directory, files in shared.items():
        for fname, text in files.items():
            written[f"{directory}/{fname}"] = text

    manifest_bundles: list[dict[str, Any]] = []
    services: list[dict[str, Any]] = []
    total = 0
    s = 0
    while total < resources:
        team = f"t{s % 12:02d}"
        name = f"{team}-svc{s:04d}"
        env = ("prod", "staging", "dev")[s % 3]
        directory = f"services/{name}"
        params = 2 + s % 4
        fixed = len(LOG_BUCKET_RESOURCES) + params
        own = fixed
        bundles: list[Bundle] = []
        j = 0
        budget = min(per_module, resources - total)
        while own < budget:
            kind = rng.choices(kinds, weights)[0]
            builder, possible, _ = KINDS[kind]
            bad: set[str] = set()
            if possible and rng.random() >= compliant_ratio:
                bad = set(rng.sample(possible, min(len(possible), rng.choice([1, 1, 2]))))
            bundle = builder(j, bad, rng)
            bundle.violations = sorted(bad)
            bundles.append(bundle)
            own += sum(n for _, _, n in bundle.resources)
            j += 1
        for fname, text in _service_files(name, env, bundles, params).items():
            written[f"{directory}/{fname}"] = text
        for b in bundles:
            manifest_bundles.append(
                {
                    "directory": directory,
                    "kind": b.kind,
                    "style": b.style,
                    "resources": [list(r) for r in b.resources],
                    "data": [list(d) for d in b.data],
                    "violations": b.violations,
                }
            )
        services.append({"directory": directory, "env": env, "resources": own})
        total += own
        s += 1

    for rel, text in sorted(written.items()):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    counts: dict[str, int] = {}
    for b in manifest_bundles:
        for v in b["violations"]:
            counts[v] = counts.get(v, 0) + 1
    manifest = {
        "format": "terraform",
        "seed": seed,
        "resources": total,
        "files": len(written),
        "lines": sum(t.count("\n") for t in written.values()),
        "services": services,
        "bundles": manifest_bundles,
        "violation_counts": dict(sorted(counts.items())),
        "violation_rules": VIOLATIONS,
    }
    return manifest


# --------------------------------------------------------------------------- kubernetes


def generate_kubernetes(out: Path, resources: int, *, seed: int = 1) -> dict[str, Any]:
    """Namespaces of Deployments / StatefulSets / CronJobs, Services and NetworkPolicies."""
    rng = random.Random(seed)
    total = 0
    files = 0
    ns = 0
    while total < resources:
        namespace = f"team-{ns:03d}"
        docs = [f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {namespace}\n"]
        if rng.random() < 0.7:
            docs.append(
                f"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n"
                f"  name: default-deny\n  namespace: {namespace}\nspec:\n  podSelector: {{}}\n"
                "  policyTypes: [Ingress, Egress]\n"
            )
        for w in range(rng.randint(4, 9)):
            kind = rng.choice(["Deployment", "Deployment", "StatefulSet", "CronJob"])
            privileged = rng.random() < 0.15
            root = rng.random() < 0.2
            limits = rng.random() < 0.8
            image = rng.choice(
                [
                    f"123456789012.dkr.ecr.us-east-1.amazonaws.com/app{w}:1.{w}.0",
                    "nginx:latest",
                    f"registry.internal/app{w}@sha256:{rng.getrandbits(256):064x}",
                ]
            )
            container = (
                f"      - name: app\n        image: {image}\n"
                "        ports:\n        - containerPort: 8080\n"
                "        securityContext:\n"
                f"          privileged: {str(privileged).lower()}\n"
                f"          allowPrivilegeEscalation: {str(privileged).lower()}\n"
                f"          runAsNonRoot: {str(not root).lower()}\n"
                "          readOnlyRootFilesystem: true\n"
            )
            if limits:
                container += (
                    "        resources:\n          limits:\n            cpu: 500m\n"
                    "            memory: 256Mi\n"
                )
            pod = (
                "    metadata:\n      labels:\n        app: app{w}\n"
                "    spec:\n      automountServiceAccountToken: false\n      containers:\n"
                + container
            ).replace("{w}", str(w))
            if kind == "CronJob":
                spec = (
                    "  schedule: '*/15 * * * *'\n  jobTemplate:\n    spec:\n      template:\n"
                    + "\n".join("    " + line if line else line for line in pod.splitlines())
                    + "\n"
                )
            else:
                spec = (
                    f"  replicas: {rng.randint(1, 4)}\n  selector:\n    matchLabels:\n"
                    f"      app: app{w}\n  template:\n" + pod
                )
            api = "batch/v1" if kind == "CronJob" else "apps/v1"
            docs.append(
                f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: app{w}\n"
                f"  namespace: {namespace}\nspec:\n{spec}"
            )
            docs.append(
                f"apiVersion: v1\nkind: Service\nmetadata:\n  name: app{w}\n"
                f"  namespace: {namespace}\nspec:\n  selector:\n    app: app{w}\n"
                "  ports:\n  - port: 80\n    targetPort: 8080\n"
            )
        path = out / "k8s" / f"{namespace}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\n".join(docs), encoding="utf-8")
        files += 1
        total += len(docs)
        ns += 1
    return {"format": "kubernetes", "seed": seed, "resources": total, "files": files}


# --------------------------------------------------------------------------- cloudformation


def generate_cloudformation(out: Path, resources: int, *, seed: int = 1) -> dict[str, Any]:
    """YAML stacks with parameters, conditions and intrinsics over S3, KMS, SG, RDS, trails."""
    rng = random.Random(seed)
    total = 0
    files = 0
    st = 0
    while total < resources:
        lines = [
            "AWSTemplateFormatVersion: '2010-09-09'",
            f"Description: generated stack {st}",
            "Parameters:",
            "  Env:",
            "    Type: String",
            "    Default: prod",
            "    AllowedValues: [prod, staging, dev]",
            "  VpcId:",
            "    Type: AWS::EC2::VPC::Id",
            "    Default: vpc-0a1b2c3d4e5f67890",
            "Conditions:",
            "  IsProd: !Equals [!Ref Env, prod]",
            "Resources:",
        ]
        n = 0
        for i in range(rng.randint(8, 16)):
            kind = rng.choice(["bucket", "key", "sg", "db", "trail"])
            good = rng.random() < 0.5
            if kind == "bucket":
                lines += [
                    f"  Bucket{i}:",
                    "    Type: AWS::S3::Bucket",
                    "    Properties:",
                    f"      BucketName: !Sub 'acme-${{Env}}-stack{st}-b{i}'",
                    "      VersioningConfiguration:",
                    f"        Status: {'Enabled' if good else 'Suspended'}",
                    "      PublicAccessBlockConfiguration:",
                    "        BlockPublicAcls: true",
                    "        BlockPublicPolicy: true",
                    "        IgnorePublicAcls: true",
                    "        RestrictPublicBuckets: true",
                ]
                if good:
                    lines += [
                        "      BucketEncryption:",
                        "        ServerSideEncryptionConfiguration:",
                        "          - ServerSideEncryptionByDefault:",
                        "              SSEAlgorithm: aws:kms",
                    ]
            elif kind == "key":
                lines += [
                    f"  Key{i}:",
                    "    Type: AWS::KMS::Key",
                    "    Properties:",
                    f"      EnableKeyRotation: {str(good).lower()}",
                    "      KeyPolicy:",
                    "        Version: '2012-10-17'",
                    "        Statement:",
                    "          - Effect: Allow",
                    "            Principal:",
                    "              AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root'",
                    "            Action: 'kms:*'",
                    "            Resource: '*'",
                ]
            elif kind == "sg":
                lines += [
                    f"  Sg{i}:",
                    "    Type: AWS::EC2::SecurityGroup",
                    "    Properties:",
                    f"      GroupDescription: service {i}",
                    "      VpcId: !Ref VpcId",
                    "      SecurityGroupIngress:",
                    "        - IpProtocol: tcp",
                    "          FromPort: 22",
                    "          ToPort: 22",
                    f"          CidrIp: {'10.0.0.0/8' if good else '0.0.0.0/0'}",
                ]
            elif kind == "db":
                lines += [
                    f"  Db{i}:",
                    "    Type: AWS::RDS::DBInstance",
                    "    Properties:",
                    "      Engine: postgres",
                    "      DBInstanceClass: !If [IsProd, db.r6g.large, db.t4g.small]",
                    "      AllocatedStorage: '20'",
                    f"      StorageEncrypted: {str(good).lower()}",
                    "      MultiAZ: !If [IsProd, true, false]",
                    "      PubliclyAccessible: false",
                    "      BackupRetentionPeriod: 14",
                    "      DeletionProtection: true",
                ]
            else:
                lines += [
                    f"  Trail{i}:",
                    "    Type: AWS::CloudTrail::Trail",
                    "    Properties:",
                    "      IsLogging: true",
                    "      S3BucketName: acme-central-logs",
                    f"      IsMultiRegionTrail: {str(good).lower()}",
                    "      EnableLogFileValidation: true",
                ]
            n += 1
        path = out / "cloudformation" / f"stack{st:04d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files += 1
        total += n
        st += 1
    return {"format": "cloudformation", "seed": seed, "resources": total, "files": files}


# --------------------------------------------------------------------------- entry point


def generate(
    out: Path,
    resources: int,
    *,
    fmt: str = "terraform",
    seed: int = 1,
    per_module: int = 50,
    compliant_ratio: float = 0.5,
) -> dict[str, Any]:
    """Write a corpus and its `corpus-manifest.json`; `out` must be empty or missing."""
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out}: not empty")
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "terraform":
        manifest = generate_terraform(
            out, resources, seed=seed, per_module=per_module, compliant_ratio=compliant_ratio
        )
    elif fmt == "kubernetes":
        manifest = generate_kubernetes(out, resources, seed=seed)
    elif fmt == "cloudformation":
        manifest = generate_cloudformation(out, resources, seed=seed)
    else:
        raise SystemExit(f"unknown format {fmt!r}")
    (out / "corpus-manifest.json").write_text(
        json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--resources", type=int, default=1000, help="about this many resources")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True, help="directory to create")
    ap.add_argument(
        "--format", default="terraform", choices=("terraform", "kubernetes", "cloudformation")
    )
    ap.add_argument("--per-module", type=int, default=50, help="resources per service module")
    ap.add_argument("--compliant-ratio", type=float, default=0.5)
    args = ap.parse_args(argv)
    manifest = generate(
        args.out,
        args.resources,
        fmt=args.format,
        seed=args.seed,
        per_module=args.per_module,
        compliant_ratio=args.compliant_ratio,
    )
    print(
        f"{args.out}: {manifest['format']}, {manifest['resources']} resources, "
        f"{manifest['files']} files",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
