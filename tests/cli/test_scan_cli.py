"""`tutela scan` end to end, through the real CLI in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

SECRET = "Zq8-very-Secret-Passw0rd!"


def tutela(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tutela", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120, check=False,
    )


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A small repository with good files and three broken ones."""
    (tmp_path / ".git").mkdir()  # stop config lookup here
    tf = tmp_path / "infra"
    tf.mkdir()
    (tf / "main.tf").write_text(
        """\
variable "sse" {}

resource "aws_s3_bucket" "records" {
  bucket = "patient-records"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "records" {
  bucket = aws_s3_bucket.records.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_s3_bucket" "plain" {
  bucket = "plain-bucket"
}

resource "aws_s3_bucket" "logs" {
  for_each = toset(["a", "b"])
  bucket   = "logs-${each.key}"
}

resource "aws_ebs_volume" "data" {
  count             = 2
  availability_zone = "us-east-1a"
  size              = 10
  encrypted         = var.sse
}

module "db" {
  source = "./modules/db"
}
"""
    )
    (tf / "modules" / "db").mkdir(parents=True)
    (tf / "modules" / "db" / "main.tf").write_text(
        """\
resource "aws_lambda_function" "export" {
  function_name = "export"
  role          = "arn:aws:iam::111122223333:role/export"
  timeout       = 30
  environment {
    variables = {
      DB_PASSWORD = "SECRET_VALUE"
    }
  }
}
""".replace("SECRET_VALUE", SECRET)
    )
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "bad.tf").write_text('resource "aws_s3_bucket" "x" {\n  bucket = \n}\n')
    (broken / "bin").mkdir()
    (broken / "bin" / "main.tf").write_bytes(b"\x7fELF\x00\x01\x02\x00\xff\xfe" * 20)
    (broken / "deploy.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n\treplicas: 2\n"
    )
    return tmp_path


def findings(report: dict[str, object]) -> list[dict[str, object]]:
    return report["findings"]  # type: ignore[return-value]


def by(report: dict[str, object], code: str) -> dict[str, dict[str, object]]:
    return {str(f["resource_address"]): f for f in findings(report) if f["rule_code"] == code}


def test_scan_reports_parse_errors_and_keeps_good_findings(repo: Path) -> None:
    run = tutela("scan", ".", "-f", "json", cwd=repo)
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    errors = {(e["file"], e["line"]) for e in report["parse_errors"]}
    files = {f for f, _ in errors}
    assert {"broken/bad.tf", "broken/bin/main.tf", "broken/deploy.yaml"} <= files
    lines = {f: line for f, line in errors}
    assert lines["broken/bad.tf"] == 2  # `bucket =` with no value
    assert lines["broken/deploy.yaml"] == 6  # the tab
    # the good files are still judged
    enc = by(report, "ENC001")
    assert enc["aws_s3_bucket.records"]["status"] == "pass"  # encryption in a companion
    assert enc["aws_s3_bucket.plain"]["status"] == "fail"
    assert enc["aws_s3_bucket.plain"]["file"] == "infra/main.tf"
    assert enc["aws_s3_bucket.plain"]["start_line"] == 16


def test_instances_modules_and_unknowns(repo: Path) -> None:
    report = json.loads(tutela("scan", "infra", "-f", "json", cwd=repo).stdout)
    enc = by(report, "ENC001")
    assert {'aws_s3_bucket.logs["a"]', 'aws_s3_bucket.logs["b"]'} <= set(enc)
    vol = by(report, "ENC002")
    assert set(vol) == {"aws_ebs_volume.data[0]", "aws_ebs_volume.data[1]"}
    # an unset variable is neither a pass nor a fail
    assert {f["status"] for f in vol.values()} == {"not_evaluated"}
    assert "var.sse" in str(vol["aws_ebs_volume.data[0]"]["message"])
    sec = by(report, "SEC001")
    assert sec["module.db.aws_lambda_function.export"]["status"] == "fail"
    assert sec["module.db.aws_lambda_function.export"]["file"] == "infra/modules/db/main.tf"


def test_every_format_carries_parse_errors_and_never_the_secret(repo: Path) -> None:
    out = repo / "out"
    run = tutela(
        "scan", ".", "-f", "json", "-o", str(out / "r.json"), "-f", "sarif", "-o",
        str(out / "r.sarif"), "-f", "junit", "-o", str(out / "r.xml"), "-f", "csv", "-o",
        str(out / "r.csv"), cwd=repo,
    )
    assert run.returncode == 1
    texts = {p.suffix: p.read_text() for p in out.iterdir()}
    for suffix, text in texts.items():
        assert SECRET not in text, suffix
        assert "broken/bad.tf" in text, suffix
    assert SECRET not in run.stdout and SECRET not in run.stderr
    sarif = json.loads(texts[".sarif"])
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any(
        n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken/deploy.yaml"
        for n in notes
    )
    junit = ET.fromstring(texts[".xml"])
    assert junit.iter("error")


def test_fail_on_severity_and_rule_selection(repo: Path) -> None:
    infra = "infra"
    # ENC001 (high) fails: exit 1 with default fail-on
    assert tutela("scan", infra, "--rules", "ENC001", cwd=repo).returncode == 1
    # FN002 (low) fails, but --fail-on high ignores it
    assert tutela("scan", infra, "--rules", "FN002", "--fail-on", "high", cwd=repo).returncode == 0
    # section selection and severity filter
    report = json.loads(
        tutela("scan", infra, "--rules", "3.3", "--severity", "high", "-f", "json",
               cwd=repo).stdout
    )
    codes = {f["rule_code"] for f in findings(report)}
    assert codes and all(c.startswith(("ENC", "KEY")) for c in codes)
    skipped = json.loads(
        tutela("scan", infra, "--skip-rules", "ENC*", "-f", "json", cwd=repo).stdout
    )
    assert not any(str(f["rule_code"]).startswith("ENC") for f in findings(skipped))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("scan", "nowhere"), "no such file"),
        (("scan", "infra", "-f", "yaml"), "unknown format"),
        (("scan", "infra", "--rules", "NOPE999"), "no rule matches"),
        (("scan", "infra", "--fail-on", "urgent"), "unknown severity"),
        (("scan", "infra", "-f", "json", "-f", "sarif"), "only one format"),
    ],
)
def test_usage_errors_exit_2_with_a_clear_message(repo: Path, args: tuple[str, ...],
                                                   message: str) -> None:
    run = tutela(*args, cwd=repo)
    assert run.returncode == 2
    assert message in run.stderr


def test_config_file_and_inline_suppression(repo: Path) -> None:
    (repo / ".tutela.toml").write_text('skip_rules = ["SEC001"]\nfail_on = "critical"\n')
    main = repo / "infra" / "main.tf"
    main.write_text(main.read_text().replace(
        'resource "aws_s3_bucket" "plain" {',
        '# tutela:ignore ENC001 static website assets, no ePHI (SEC-42)\n'
        'resource "aws_s3_bucket" "plain" {'))
    run = tutela("scan", "infra", "-f", "json", cwd=repo)
    assert run.returncode == 0  # nothing critical fails
    report = json.loads(run.stdout)
    assert not by(report, "SEC001")
    plain = by(report, "ENC001")["aws_s3_bucket.plain"]
    assert plain["status"] == "suppressed"
    assert "static website" in json.dumps(plain)
    bad = tutela("scan", "infra", "--config", str(repo / "missing.toml"), cwd=repo)
    assert bad.returncode == 2 and "missing.toml" in bad.stderr


def test_version_and_help_are_instant_imports() -> None:
    code = (
        "import sys, tutela.cli; "
        "heavy = [m for m in ('boto3', 'yaml', 'pydantic', 'sqlalchemy', "
        "'tutela.sources.terraform', 'tutela.rules.encryption') if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
