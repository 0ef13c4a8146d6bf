"""Precision on realistic, compliant Kubernetes manifests and Dockerfiles.

`tests/rules/corpus/compliant-tricky/k8s/` holds what platform teams really
commit and render: `helm template` output with many documents, a kustomize
base whose image and namespace come from an overlay, CronJobs with init and
sidecar containers, hardening inherited from the pod's securityContext,
service accounts that turn token automount off for their pods, NetworkPolicies
per namespace, operators' RBAC, internal load balancers, a runtime security
agent with documented exceptions, and multi-stage Dockerfiles (distroless or
Chainguard final stages, `FROM --platform=$BUILDPLATFORM`, digests pinned
through build arguments).

Scanned with every default rule, none of it may fail or be left unevaluated;
findings on purpose-made exceptions must be suppressed with a reason.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tutela.engine.findings import ScanResult
from tutela.engine.ruleset import RuleSet
from tutela.engine.scan import scan
from tutela.rules import default_rules
from tutela.rules.api import Status

CORPUS = Path(__file__).parent / "corpus" / "compliant-tricky" / "k8s"


@pytest.fixture(scope="module")
def result() -> ScanResult:
    return scan([CORPUS], RuleSet.of(default_rules()))


def _brief(result: ScanResult, *statuses: Status) -> str:
    return "\n".join(
        f"  {f.status.value} {f.rule_code} {f.resource_address} {f.location}: {f.message}"
        for f in result.findings
        if f.status in statuses
    )


def test_corpus_parses_completely(result: ScanResult) -> None:
    assert not result.parse_errors, [str(e) for e in result.parse_errors]
    # 8 manifest files (kustomizations included) and 3 Dockerfiles.
    assert result.files_scanned >= 11


def test_no_failure_on_compliant_manifests(result: ScanResult) -> None:
    bad = (Status.FAIL, Status.ERROR)
    assert not [f for f in result.findings if f.status in bad], (
        "compliant corpus has failures:\n" + _brief(result, *bad)
    )


def test_nothing_is_left_unevaluated(result: ScanResult) -> None:
    assert not [f for f in result.findings if f.status is Status.NOT_EVALUATED], _brief(
        result, Status.NOT_EVALUATED
    )


def test_exceptions_are_suppressed_with_reasons(result: ScanResult) -> None:
    suppressed = [f for f in result.findings if f.status is Status.SUPPRESSED]
    assert {f.resource_address for f in suppressed} == {"Namespace/falco", "DaemonSet/falco/falco"}
    assert all(f.suppression is not None and f.suppression.reason for f in suppressed)


def test_the_corpus_exercises_the_kubernetes_and_dockerfile_rules(result: ScanResult) -> None:
    passed = Counter(f.rule_code for f in result.findings if f.status is Status.PASS)
    judged = {
        "CTR001", "CTR002", "CTR005", "CTR006", "CTR007", "CTR008", "CTR010", "CTR301",
        "CTR302", "CTR304", "CTR305", "CTR306", "CTR308", "CTR309", "CTR310", "CTR311", "CTR316",
        "CTR312", "CTR313", "CTR314", "CTR315", "IAM005", "IAM301", "IAM302", "IAM304",
        "LOG302", "LOG303", "NET301", "NET302", "SEC002", "SEC003", "SEC301", "SEC302",
    }
    assert judged <= set(passed), sorted(judged - set(passed))


def test_tricky_cases_pass_for_the_right_reason(result: ScanResult) -> None:
    def message(code: str, address: str) -> str:
        (found,) = [f for f in result.findings if f.rule_code == code
                    and f.resource_address == address and f.status is Status.PASS]
        return found.message

    # The default service account of `billing` turns automount off for its pods.
    assert "disables token automount" in message("IAM005", "Deployment/billing/billing-api")
    # The kustomize base's bare image is deployed with the overlay's digest.
    assert "pinned by digest" in message("CTR308", "Deployment/default/scheduling-api")
    # Namespaces enforce Pod Security Admission.
    assert "restricted" in message("CTR311", "Namespace/billing")
    # The runtime security agent is recognised on its DaemonSet.
    assert "Falco" in message("LOG302", "DaemonSet/falco/falco")


def test_kustomize_patches_are_judged_with_their_base(result: ScanResult) -> None:
    patch = [f for f in result.findings
             if f.location is not None and f.location.file.endswith("deployment-resources.yaml")]
    assert patch, "the overlay's patch was not read"
    # What the patch leaves out comes from the base: rules about missing settings do not
    # apply to it (rules about settings it does write still judge them).
    absent = {"CTR006", "CTR007", "CTR008", "CTR010", "CTR301", "CTR302", "CTR305", "IAM005"}
    assert {f.status for f in patch if f.rule_code in absent} == {Status.NOT_APPLICABLE}
    assert Status.FAIL not in {f.status for f in patch}
