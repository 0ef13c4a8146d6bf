"""A tricky but compliant GCP estate gives no failure with every default rule.

`corpus/compliant-tricky/gcp` is written the way teams write Terraform: values through
variables, locals and module outputs, local modules (one with for_each), for_each over
maps, dynamic blocks, access granted by separate IAM resources, deny and disabled
firewall rules open to the world, replicas, a public-by-design website. Each mutation
below breaks one thing in a copy of it and must produce exactly the expected failure,
so the clean result is not vacuous.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from tutela.engine.findings import ScanResult
from tutela.engine.ruleset import RuleSet
from tutela.engine.scan import scan
from tutela.rules import default_rules
from tutela.rules.api import Status

CORPUS = Path(__file__).parent / "corpus" / "compliant-tricky" / "gcp"
RULES = RuleSet.of(default_rules())
GCP_CODES = {r.code for r in default_rules() if r.resource_type.provider == "gcp"}


def scan_dir(path: Path, monkeypatch: pytest.MonkeyPatch) -> ScanResult:
    monkeypatch.chdir(path)
    return scan([Path(".")], RULES)


def test_the_corpus_gives_no_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    result = scan_dir(CORPUS, monkeypatch)
    assert not result.parse_errors, [str(e) for e in result.parse_errors]
    bad = [(f.rule_code, f.resource_address, f.message) for f in result.findings
           if f.status in (Status.FAIL, Status.ERROR, Status.NOT_EVALUATED)]
    assert not bad


def test_the_corpus_exercises_every_gcp_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    result = scan_dir(CORPUS, monkeypatch)
    passed = Counter(f.rule_code for f in result.findings if f.status is Status.PASS)
    assert set(passed) >= GCP_CODES, sorted(GCP_CODES - set(passed))
    assert result.resource_count > 50


# (file, text in it, replacement, the rules that must now fail (none: still compliant),
#  a piece of the failing address)
MUTATIONS = [
    ("modules/network/main.tf", '"35.235.240.0/20"', '"0.0.0.0/0"', "NET201", "allow-iap-ssh"),
    ("modules/network/main.tf", "disabled      = true", "disabled      = false", "NET201",
     "break_glass"),
    ("modules/network/main.tf", '"130.211.0.0/22", "35.191.0.0/16"', '"0.0.0.0/0"', "",
     "allow-health-checks"),  # HTTPS from anywhere is not a finding
    ("modules/network/main.tf", 'ports    = ["443", "8443"]', 'ports    = ["443", "5432"]',
     "", "allow-health-checks"),  # the health-check ranges are not the internet
    ("modules/network/main.tf", 'ranges   = ["10.10.0.0/16"]', 'ranges   = ["0.0.0.0/0"]',
     "NET201,NET202", "allow-internal"),
    ("modules/data/main.tf", 'ssl_mode        = "ENCRYPTED_ONLY"',
     'ssl_mode        = "ALLOW_UNENCRYPTED_AND_ENCRYPTED"', "ENC201", "sql_database_instance.ehr"),
    ("modules/data/main.tf", 'default = "7776000s"', 'default = "31536000s"', "KEY201",
     "crypto_key.data"),
    ("modules/data/main.tf", "retained_backups = 30", "retained_backups = 3", "BAK201",
     "sql_database_instance.ehr"),
    ("modules/data/main.tf", "is_locked        = true\n  }\n}\n\nresource \"google_logging",
     "is_locked        = false\n  }\n}\n\nresource \"google_logging", "LOG203", "audit_logs"),
    ("modules/data/main.tf", 'protection_level = "HSM"', 'protection_level = "SOFTWARE"',
     "KEY202", "crypto_key.master"),
    ("modules/gke/main.tf", 'mode = "GKE_METADATA"', 'mode = "GCE_METADATA"', "CTR207",
     "node_pool.pools"),
    ("modules/gke/main.tf", 'evaluation_mode = "PROJECT_SINGLETON_POLICY_ENFORCE"',
     'evaluation_mode = "DISABLED"', "CTR201", "container_cluster.clinical"),
    ("modules/serverless/main.tf", 'exposure = "public"', 'exposure = "internal"',
     "FN201,FN202", "cloud_run_v2_service.website"),
    ("modules/serverless/main.tf", 'value = "info"', 'value = "info"\n      }\n      env {\n'
     '        name  = "API_TOKEN"\n        value = "tok_live_8c1f2e3d4a5b6c7d"', "SEC201",
     "cloud_run_v2_service.api"),
    ("modules/bucket/main.tf", "var.reader", '"allUsers"', "NET204", "module.documents"),
    ("main.tf", 'default = "us-east4"', 'default = "europe-west3"', "NET212", "key_ring.clinical"),
    ("main.tf", '"group:platform-breakglass@acme-health.example"', '"user:cto@acme-health.example"',
     "IAM201", "google_project_iam_member.groups"),
    ("main.tf", 'value   = "TRUE"', 'value   = "FALSE"', "IAM210", "google_compute_instance"),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "code", "address"),
    [pytest.param(*m, id=f"{m[3] or 'compliant'}-{m[4]}-{i}") for i, m in enumerate(MUTATIONS)],
)
def test_each_mutation_is_caught(file: str, old: str, new: str, code: str, address: str,
                                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "gcp"
    shutil.copytree(CORPUS, copy)
    target = copy / file
    text = target.read_text()
    assert text.count(old) >= 1, f"{old!r} not in {file}"
    target.write_text(text.replace(old, new, 1))
    result = scan_dir(copy, monkeypatch)
    assert not result.parse_errors
    failures = [(f.rule_code, f.resource_address) for f in result.findings
                if f.status is Status.FAIL]
    expected = set(code.split(",")) if code else set()
    assert {c for c, _ in failures} == expected, failures
    assert not expected or any(address in a for _, a in failures), failures
