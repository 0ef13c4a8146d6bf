"""End to end: the example platforms under `examples/`, scanned by the real CLI.

`examples/insecure` must fail across the policy, on the resources where the
mistakes were made; `examples/compliant`, the same platform written well, must
pass. Both are run once per module through `python -m tutela scan ... -f json`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SOURCES = {"terraform", "cloudformation", "kubernetes", "dockerfile"}

pytestmark = pytest.mark.skipif(not EXAMPLES.is_dir(), reason="examples/ not present")


def _scan(variant: str) -> tuple[int, dict[str, Any], str]:
    proc = subprocess.run(
        [sys.executable, "-m", "tutela", "scan", f"examples/{variant}",
         "-f", "json", "--no-progress"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"scan of {variant} did not print JSON (exit {proc.returncode}):\n"
                    f"{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    return proc.returncode, report, proc.stderr


@pytest.fixture(scope="module")
def insecure() -> tuple[int, dict[str, Any], str]:
    return _scan("insecure")


@pytest.fixture(scope="module")
def compliant() -> tuple[int, dict[str, Any], str]:
    return _scan("compliant")


def _with(report: dict[str, Any], status: str) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["status"] == status]


def _section(requirement: str) -> str:
    return ".".join(requirement.split(".")[:2])


def _brief(findings: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"  {f['status']} {f['rule_code']} {f['resource_address']} "
        f"{f['file']}:{f['start_line']} {f['message']}" for f in findings
    )


# --------------------------------------------------------------------------- insecure


def test_insecure_exits_with_findings(insecure: tuple[int, dict[str, Any], str]) -> None:
    code, report, stderr = insecure
    assert code == 1, stderr
    assert report["summary"]["by_status"]["fail"] == len(_with(report, "fail")) > 0


def test_insecure_parses_every_file(insecure: tuple[int, dict[str, Any], str]) -> None:
    _, report, _ = insecure
    assert report["parse_errors"] == []
    # Terraform root and 3 modules, one template, 5 manifests, 2 Dockerfiles.
    assert report["summary"]["files"] >= 20


def test_insecure_fails_across_the_policy(insecure: tuple[int, dict[str, Any], str]) -> None:
    _, report, _ = insecure
    sections = {_section(r) for f in _with(report, "fail") for r in f["requirements"]}
    assert len(sections) >= 5, sections
    # The platform has mistakes in every area of section 3.
    assert sections >= {"3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7"}, sections


def test_insecure_fails_in_every_source_format(insecure: tuple[int, dict[str, Any], str]) -> None:
    _, report, _ = insecure
    assert {f["source"] for f in _with(report, "fail")} == SOURCES


# (rule, resource address, file the finding points into, subject or None)
EXPECTED_FAILURES = [
    # storage module, for_each buckets: the records bucket has no encryption at all
    ("ENC001", 'module.storage.aws_s3_bucket.this["records"]',
     "examples/insecure/terraform/modules/storage/main.tf", None),
    ("KEY003", 'module.storage.aws_s3_bucket.this["records"]',
     "examples/insecure/terraform/modules/storage/main.tf", None),
    # the CloudTrail bucket has a policy, but it does not deny plain HTTP
    ("ENC006", 'module.storage.aws_s3_bucket.this["cloudtrail"]',
     "examples/insecure/terraform/modules/storage/main.tf", None),
    # network module: SSH to the bastion and PostgreSQL (a separate ingress rule) from anywhere
    ("NET001", "module.network.aws_security_group.bastion",
     "examples/insecure/terraform/modules/network/main.tf", None),
    ("NET002", "module.network.aws_security_group.database",
     "examples/insecure/terraform/modules/network/main.tf", None),
    # database module
    ("ENC003", "module.database.aws_db_instance.this",
     "examples/insecure/terraform/modules/database/main.tf", None),
    ("NET003", "module.database.aws_db_instance.this",
     "examples/insecure/terraform/modules/database/main.tf", None),
    ("BAK001", "module.database.aws_db_instance.this",
     "examples/insecure/terraform/modules/database/main.tf", None),
    # root module
    ("IAM001", "aws_iam_policy.records_indexer", "examples/insecure/terraform/main.tf", None),
    ("IAM002", "aws_iam_user.ci_deployer", "examples/insecure/terraform/main.tf", None),
    ("SEC001", "aws_lambda_function.records_indexer", "examples/insecure/terraform/main.tf",
     "DB_PASSWORD"),
    ("FN001", "aws_lambda_function.records_indexer", "examples/insecure/terraform/main.tf", None),
    ("LOG001", "aws_cloudtrail.main", "examples/insecure/terraform/main.tf", None),
    ("LOG004", 'aws_cloudwatch_log_group.this["cloudtrail"]',
     "examples/insecure/terraform/main.tf", None),
    ("KEY001", "aws_kms_key.logs", "examples/insecure/terraform/main.tf", None),
    ("ENC004", "aws_lb_listener.http", "examples/insecure/terraform/main.tf", None),
    ("NET004", "aws_launch_template.bastion", "examples/insecure/terraform/main.tf", None),
    ("NET005", "aws_eks_cluster.main", "examples/insecure/terraform/main.tf", None),
    ("CTR011", 'aws_ecr_repository.this["records-api"]',
     "examples/insecure/terraform/main.tf", None),
    # CloudFormation
    ("ENC001", "IntakeBucket", "examples/insecure/cloudformation/intake-stack.yaml", None),
    ("SEC001", "IntakeFunction", "examples/insecure/cloudformation/intake-stack.yaml",
     "DB_PASSWORD"),
    ("KEY002", "IntakeKey", "examples/insecure/cloudformation/intake-stack.yaml", None),
    # Kubernetes
    ("CTR005", "Deployment/patient-records/records-api",
     "examples/insecure/k8s/records-api.yaml", "records-api"),
    ("CTR009", "Deployment/patient-records/records-api",
     "examples/insecure/k8s/records-api.yaml", "hostNetwork"),
    ("SEC003", "Deployment/patient-records/records-api",
     "examples/insecure/k8s/records-api.yaml", "records-api/DB_PASSWORD"),
    ("IAM004", "ClusterRoleBinding/records-api-cluster-admin",
     "examples/insecure/k8s/rbac.yaml", "ServiceAccount/default"),
    ("CTR010", "CronJob/patient-records/records-nightly-export",
     "examples/insecure/k8s/nightly-export.yaml", None),
    # Dockerfiles
    ("CTR001", "examples/insecure/docker/api/Dockerfile",
     "examples/insecure/docker/api/Dockerfile", None),
    ("CTR003", "examples/insecure/docker/api/Dockerfile",
     "examples/insecure/docker/api/Dockerfile", None),
    ("SEC002", "examples/insecure/docker/api/Dockerfile",
     "examples/insecure/docker/api/Dockerfile", "ENV DB_PASSWORD"),
    ("CTR002", "examples/insecure/docker/worker/Dockerfile.worker",
     "examples/insecure/docker/worker/Dockerfile.worker", None),
]


@pytest.mark.parametrize(
    ("code", "address", "file", "subject"),
    EXPECTED_FAILURES,
    ids=[f"{c}-{a}" for c, a, _, _ in EXPECTED_FAILURES],
)
def test_insecure_fails_where_the_mistake_is(
    insecure: tuple[int, dict[str, Any], str], code: str, address: str, file: str,
    subject: str | None,
) -> None:
    _, report, _ = insecure
    hits = [f for f in _with(report, "fail")
            if f["rule_code"] == code and f["resource_address"] == address]
    same_code = [f for f in report["findings"] if f["rule_code"] == code]
    assert hits, f"no {code} failure on {address}; {code} findings:\n{_brief(same_code)}"
    if subject is not None:
        assert subject in {f["subject"] for f in hits}, _brief(hits)
    assert {f["file"] for f in hits} == {file}, _brief(hits)
    assert all(f["start_line"] >= 1 for f in hits)


def test_insecure_findings_never_reveal_the_fake_password(
    insecure: tuple[int, dict[str, Any], str],
) -> None:
    _, report, _ = insecure
    assert "Sup3r-Secret-Passw0rd!" not in json.dumps(report)


# --------------------------------------------------------------------------- compliant


def test_compliant_exits_clean(compliant: tuple[int, dict[str, Any], str]) -> None:
    code, report, stderr = compliant
    failures = _with(report, "fail") + _with(report, "error")
    assert not failures, "compliant example has failures:\n" + _brief(failures)
    assert code == 0, stderr


def test_compliant_parses_every_file(compliant: tuple[int, dict[str, Any], str]) -> None:
    _, report, _ = compliant
    assert report["parse_errors"] == []
    assert report["summary"]["files"] >= 20


def test_compliant_is_judged_in_every_source_format(
    compliant: tuple[int, dict[str, Any], str],
) -> None:
    _, report, _ = compliant
    assert {f["source"] for f in _with(report, "pass")} == SOURCES
    sections = {_section(r) for f in _with(report, "pass") for r in f["requirements"]}
    assert sections >= {"3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7"}, sections


def test_compliant_passes_what_the_insecure_variant_fails(
    insecure: tuple[int, dict[str, Any], str], compliant: tuple[int, dict[str, Any], str],
) -> None:
    """Same platform, same shape: a rule that fails a resource of the insecure variant
    judges (and passes) the same resource in the compliant one, unless the compliant
    variant removed the resource on purpose (the IAM user, the access key...)."""
    _, bad, _ = insecure
    _, good, _ = compliant

    def key(f: dict[str, Any]) -> tuple[str, str]:
        return f["rule_code"], f["resource_address"].replace("examples/insecure/", "")

    judged = {(f["rule_code"], f["resource_address"].replace("examples/compliant/", ""))
              for f in good["findings"]
              if f["status"] in ("pass", "not_applicable")
              or (f["rule_code"], f["resource_address"]) in KNOWN_NOT_EVALUATED}
    removed_on_purpose = {"aws_iam_user.ci_deployer", "aws_iam_access_key.ci_deployer",
                          "ClusterRoleBinding/oncall-cluster-admin",
                          "ClusterRoleBinding/records-api-cluster-admin"}
    failed = {key(f) for f in _with(bad, "fail")}
    missing = sorted(k for k in failed - judged if k[1] not in removed_on_purpose)
    assert not missing, f"judged in insecure, not passed in compliant: {missing}"


# Source limitations that leave a compliant value "not evaluated" (see examples/README.md).
# Remove an entry once the source handles it; a new not-evaluated finding fails the test.
KNOWN_NOT_EVALUATED = {
    # a key-policy principal built from data.aws_caller_identity / AWS::AccountId is
    # unknown before apply, so the whole key policy is not evaluated
    ("KEY002", "aws_kms_key.logs"),
    ("KEY002", "IntakeKey"),
    # launch template `block_device_mappings { ebs { ... } }`: the nested `ebs` block
    # is read as a list by the Terraform adapter
    ("ENC002", "aws_launch_template.bastion/block_device_mappings[0]"),
    # a CloudFormation stack's region (AWS::Region) is known only at deployment
    *(("RES001", address) for address in (
        "IntakeKey", "IntakeBucket", "ReleaseSigning", "IntakeFunction",
        "IntakeFunctionLogGroup")),
}


def test_compliant_not_evaluated_only_where_known(
    compliant: tuple[int, dict[str, Any], str],
) -> None:
    _, report, _ = compliant
    unexpected = [f for f in _with(report, "not_evaluated")
                  if (f["rule_code"], f["resource_address"]) not in KNOWN_NOT_EVALUATED]
    assert not unexpected, "unexpected not-evaluated findings:\n" + _brief(unexpected)
