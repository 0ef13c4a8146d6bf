"""Measure candidate Terraform parsers on one generated corpus.

Usage: python bench/parsers.py [--resources 1000 5000] [--keep DIR]

The generator below writes a deterministic AWS Terraform monorepo: modules of
about 50 resources (S3 with split companion resources, KMS, security groups with
inline / rule / dynamic styles, IAM policies in jsonencode / heredoc /
policy-document styles, RDS, CloudTrail, Lambda) plus an `envs/` root stack per
module group that calls them. Each candidate parses the same files; the figures
are wall seconds in this process (best of --repeat runs), so only relative speed
matters. Measurement only: nothing here is a test.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# --------------------------------------------------------------------------- generator


def _s3(i: int, rng: random.Random) -> tuple[str, int]:
    kms = rng.random() < 0.5
    sse = (
        f"""
resource "aws_kms_key" "b{i}" {{
  description             = "key for bucket {i}"
  deletion_window_in_days = {rng.choice([7, 30])}
  enable_key_rotation     = {str(rng.random() < 0.7).lower()}
  tags                    = local.tags
}}
"""
        if kms
        else ""
    )
    algo = f'"aws:kms"\n      kms_master_key_id = aws_kms_key.b{i}.arn' if kms else '"AES256"'
    text = f"""
resource "aws_s3_bucket" "b{i}" {{
  bucket = "${{var.prefix}}-data-{i}-${{var.env}}"
  tags   = merge(local.tags, {{ Name = "data-{i}" }})
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "b{i}" {{
  bucket = aws_s3_bucket.b{i}.id
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm     = {algo}
    }}
    bucket_key_enabled = true
  }}
}}

resource "aws_s3_bucket_public_access_block" "b{i}" {{
  bucket                  = aws_s3_bucket.b{i}.id
  block_public_acls       = true
  block_public_policy     = {str(rng.random() < 0.8).lower()}
  ignore_public_acls      = true
  restrict_public_buckets = true
}}

resource "aws_s3_bucket_versioning" "b{i}" {{
  bucket = aws_s3_bucket.b{i}.id
  versioning_configuration {{
    status = var.env == "prod" ? "Enabled" : "Suspended"
  }}
}}

resource "aws_s3_bucket_logging" "b{i}" {{
  count         = var.enable_logging ? 1 : 0
  bucket        = aws_s3_bucket.b{i}.id
  target_bucket = var.log_bucket
  target_prefix = "s3/data-{i}/"
}}
{sse}"""
    return text, 5 + int(kms)


def _sg(i: int, rng: random.Random) -> tuple[str, int]:
    cidr = rng.choice(['"10.0.0.0/8"', '"0.0.0.0/0"'])
    return (
        f"""
resource "aws_security_group" "sg{i}" {{
  name        = "sg-{i}-${{var.env}}"
  description = "service {i}"
  vpc_id      = var.vpc_id

  dynamic "ingress" {{
    for_each = local.ports
    content {{
      description = "port ${{ingress.value}}"
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = [{cidr}]
    }}
  }}

  egress {{
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }}
}}

resource "aws_security_group_rule" "sg{i}_ssh" {{
  type              = "ingress"
  security_group_id = aws_security_group.sg{i}.id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = [{cidr}]
}}
""",
        2,
    )


def _iam(i: int, rng: random.Random) -> tuple[str, int]:
    style = i % 3
    action = rng.choice(['"s3:GetObject"', '"s3:*"', '"*"'])
    if style == 0:
        return (
            f"""
resource "aws_iam_policy" "p{i}" {{
  name = "policy-{i}-${{var.env}}"
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect   = "Allow"
      Action   = [{action}]
      Resource = ["arn:aws:s3:::${{var.prefix}}-data-{i}/*"]
    }}]
  }})
}}
""",
            1,
        )
    if style == 1:
        return (
            f"""
resource "aws_iam_policy" "p{i}" {{
  name   = "policy-{i}"
  policy = <<-EOT
    {{
      "Version": "2012-10-17",
      "Statement": [
        {{"Effect": "Allow", "Action": {action}, "Resource": "*"}}
      ]
    }}
  EOT
}}
""",
            1,
        )
    return (
        f"""
data "aws_iam_policy_document" "p{i}" {{
  statement {{
    sid       = "S{i}"
    effect    = "Allow"
    actions   = [{action}]
    resources = ["arn:aws:s3:::${{var.prefix}}-data-{i}/*"]
    condition {{
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }}
  }}
}}

resource "aws_iam_role_policy" "p{i}" {{
  name   = "role-policy-{i}"
  role   = var.role_name
  policy = data.aws_iam_policy_document.p{i}.json
}}
""",
        2,
    )


def _rds(i: int, rng: random.Random) -> tuple[str, int]:
    return (
        f"""
resource "aws_db_instance" "db{i}" {{
  identifier              = "db-{i}-${{var.env}}"
  engine                  = "postgres"
  engine_version          = "15.4"
  instance_class          = var.env == "prod" ? "db.r6g.large" : "db.t4g.micro"
  allocated_storage       = 20
  storage_encrypted       = {str(rng.random() < 0.8).lower()}
  backup_retention_period = {rng.choice([7, 14, 35])}
  publicly_accessible     = false
  deletion_protection     = true
  username                = "app"
  password                = var.db_password
  tags                    = local.tags
}}
""",
        1,
    )


def _trail(i: int, rng: random.Random) -> tuple[str, int]:
    return (
        f"""
resource "aws_cloudtrail" "t{i}" {{
  name                          = "trail-{i}"
  s3_bucket_name                = var.log_bucket
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = {str(rng.random() < 0.8).lower()}
  kms_key_id                    = var.kms_key_arn

  event_selector {{
    read_write_type           = "All"
    include_management_events = true
  }}
}}
""",
        1,
    )


def _lambda(i: int, rng: random.Random) -> tuple[str, int]:
    return (
        f"""
resource "aws_lambda_function" "fn{i}" {{
  for_each      = toset(["a", "b"])
  function_name = "fn-{i}-${{each.key}}"
  role          = var.role_arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "${{path.module}}/fn.zip"

  environment {{
    variables = {{
      STAGE       = var.env
      DB_PASSWORD = {rng.choice(['"hunter2"', "var.db_password"])}
    }}
  }}

  tracing_config {{
    mode = "Active"
  }}
}}
""",
        2,
    )


_KINDS = (_s3, _sg, _iam, _rds, _trail, _lambda, _sg, _iam)


def _module_text(rng: random.Random, per_module: int) -> tuple[str, int]:
    parts = [
        """locals {
  tags  = { env = var.env, owner = "platform", cost = "${var.prefix}-${var.env}" }
  ports = [80, 443]
}
"""
    ]
    count = 0
    i = 0
    while count < per_module:
        text, n = _KINDS[i % len(_KINDS)](i, rng)
        parts.append(text)
        count += n
        i += 1
    return "".join(parts), count


_VARIABLES = """variable "env" {
  type = string
}

variable "prefix" {
  type    = string
  default = "acme"
}

variable "enable_logging" {
  type    = bool
  default = true
}

variable "log_bucket" {
  type    = string
  default = "acme-logs"
}

variable "vpc_id" {
  type = string
}

variable "role_name" {
  type    = string
  default = "app"
}

variable "role_arn" {
  type    = string
  default = "arn:aws:iam::123456789012:role/app"
}

variable "kms_key_arn" {
  type    = string
  default = null
}

variable "db_password" {
  type      = string
  sensitive = true
}
"""


def generate_corpus(dest: Path, resources: int, *, per_module: int = 50, seed: int = 1) -> int:
    """Write a corpus of about `resources` resources under `dest`; return the resource count."""
    rng = random.Random(seed)
    total = 0
    modules: list[str] = []
    m = 0
    while total < resources:
        name = f"svc{m:03d}"
        mdir = dest / "modules" / name
        mdir.mkdir(parents=True)
        text, n = _module_text(rng, per_module)
        (mdir / "main.tf").write_text(text)
        (mdir / "variables.tf").write_text(_VARIABLES)
        (mdir / "outputs.tf").write_text(
            'output "first_bucket" {\n  value = aws_s3_bucket.b0.arn\n}\n'
        )
        modules.append(name)
        total += n
        m += 1
    for group in range(0, len(modules), 10):
        env_dir = dest / "envs" / f"stack{group // 10:02d}"
        env_dir.mkdir(parents=True)
        calls = [
            f'module "{name}" {{\n  source  = "../../modules/{name}"\n  env     = var.env\n'
            f'  vpc_id  = "vpc-123"\n  db_password = var.db_password\n}}\n'
            for name in modules[group : group + 10]
        ]
        (env_dir / "main.tf").write_text(
            'variable "env" {\n  default = "prod"\n}\n\nvariable "db_password" {}\n\n'
            + "\n".join(calls)
        )
        (env_dir / "terraform.tfvars").write_text('env = "prod"\n')
    return total


# --------------------------------------------------------------------------- candidates


def _tf_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*.tf"))


def _bench_tutela_parse(corpus: Path) -> int:
    from tutela.sources.terraform.hcl import parse_hcl

    blocks = 0
    for path in _tf_files(corpus):
        body = parse_hcl(path.read_text(), str(path))
        blocks += len(body.blocks)
    return blocks


def _bench_tutela_full(corpus: Path) -> int:
    from tutela.sources.terraform import load_terraform

    result = load_terraform([corpus], root=corpus)
    if result.errors:
        raise RuntimeError(f"tutela reported errors: {result.errors[:3]}")
    return len(result.resources)


def _bench_bc_hcl2(corpus: Path) -> int:
    import hcl2

    blocks = 0
    for path in _tf_files(corpus):
        doc = hcl2.loads(path.read_text())
        blocks += len(doc.get("resource", []))
    return blocks


def _bench_bc_hcl2_tree(corpus: Path) -> int:
    """bc-python-hcl2's Lark grammar without its dict transformer (the floor of any Lark use)."""
    from hcl2.parser import hcl2 as parser

    blocks = 0
    for path in _tf_files(corpus):
        tree = parser.lark_parser.parse(path.read_text() + "\n")
        blocks += len(tree.children)
    return blocks


def _bench_tfparse(corpus: Path) -> int:
    import tfparse

    count = 0
    for env_dir in sorted((corpus / "envs").iterdir()):
        out = tfparse.load_from_path(str(env_dir))
        for key, items in out.items():
            if key.startswith("aws_"):
                count += len(items)
    return count


def _bench_pygohcl(corpus: Path) -> int:
    import pygohcl

    count = 0
    for path in _tf_files(corpus):
        doc = pygohcl.loads(path.read_text())
        count += len(doc.get("resource", {}))
    return count


CANDIDATES: dict[str, tuple[str | None, Callable[[Path], int]]] = {
    "tutela parse only": (None, _bench_tutela_parse),
    "tutela parse+evaluate": (None, _bench_tutela_full),
    "bc-python-hcl2 loads": ("hcl2", _bench_bc_hcl2),
    "bc-python-hcl2 lark tree": ("hcl2", _bench_bc_hcl2_tree),
    "tfparse (evaluates)": ("tfparse", _bench_tfparse),
    "pygohcl (lossy)": ("pygohcl", _bench_pygohcl),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--only", nargs="*", help="substring filter on candidate names")
    parser.add_argument("--keep", type=Path, help="write the corpora here and keep them")
    args = parser.parse_args(argv)
    base = args.keep or Path(tempfile.mkdtemp(prefix="tutela-bench-"))
    try:
        for size in args.resources:
            corpus = base / f"syn-{size}"
            if corpus.exists():
                shutil.rmtree(corpus)
            n = generate_corpus(corpus, size)
            files = len(_tf_files(corpus))
            print(f"corpus {corpus.name}: {n} resources, {files} .tf files")
            for name, (module, fn) in CANDIDATES.items():
                if args.only and not any(s in name for s in args.only):
                    continue
                if module is not None:
                    try:
                        importlib.import_module(module)
                    except ImportError:
                        print(f"  {name:26s} not installed")
                        continue
                best = cpu = float("inf")
                found = 0
                for _ in range(args.repeat):
                    gc.collect()
                    start = time.perf_counter()
                    start_cpu = time.process_time()
                    found = fn(corpus)
                    best = min(best, time.perf_counter() - start)
                    cpu = min(cpu, time.process_time() - start_cpu)
                print(
                    f"  {name:26s} {best:7.3f} s wall {best / n * 1000:6.3f} ms/resource, "
                    f"{cpu:7.3f} s CPU in this process  (counted {found})"
                )
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
