"""LOG001-LOG006 on the model: CloudTrail, log retention, S3 access logs, EKS control plane."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from tutela.engine.evaluate import evaluate
from tutela.engine.ruleset import RuleSet
from tutela.model.aws import CloudTrail, EksCluster, LogGroup, S3Bucket
from tutela.model.base import Resource
from tutela.model.values import Reference, Unknown
from tutela.rules.api import Rule, Status
from tutela.rules.monitoring import aws as logging
from tutela.rules.settings import DEFAULT_SETTINGS, Settings

LOG001 = logging.trail_is_multi_region
LOG002 = logging.trail_log_file_validation_enabled
LOG003 = logging.trail_encrypted_with_kms
LOG004 = logging.log_group_retention_meets_minimum
LOG005 = logging.bucket_access_logging_enabled
LOG006 = logging.eks_control_plane_logging_enabled

PASS, FAIL = Status.PASS, Status.FAIL
NA, NE = Status.NOT_APPLICABLE, Status.NOT_EVALUATED


def outcomes(
    rule: Rule,
    resource: Resource,
    others: Sequence[Resource] = (),
    settings: Settings = DEFAULT_SETTINGS,
) -> set[Status]:
    findings = evaluate([resource, *others], RuleSet.of([rule]), settings=settings)
    return {f.status for f in findings if f.resource_address == resource.address}


def trail(**fields: Any) -> CloudTrail:
    return CloudTrail(address="aws_cloudtrail.org", native_type="aws_cloudtrail",
                      source="terraform", **fields)


def log_group(days: Any) -> LogGroup:
    return LogGroup(address="aws_cloudwatch_log_group.api", native_type="aws_cloudwatch_log_group",
                    source="terraform", retention_days=days)


def bucket(name: str = "records", **fields: Any) -> S3Bucket:
    return S3Bucket(address=f"aws_s3_bucket.{name}", native_type="aws_s3_bucket",
                    source="terraform", bucket_name=f"acme-{name}", **fields)


def eks(log_types: Any) -> EksCluster:
    return EksCluster(address="aws_eks_cluster.main", native_type="aws_eks_cluster",
                      source="terraform", log_types=log_types)


RECORDS_LOGGED_TO_ACCESS_LOGS = bucket(
    access_logging=True, log_target=Reference("aws_s3_bucket.access_logs", "id")
)
ALL_EKS_LOGS = ("api", "audit", "authenticator", "controllerManager", "scheduler")

CASES = [
    # LOG001
    ("LOG001", "multi-region", trail(multi_region=True), {PASS}),
    ("LOG001", "single-region", trail(), {FAIL}),
    ("LOG001", "unknown", trail(multi_region=Unknown("var.all_regions")), {NE}),
    # LOG002
    ("LOG002", "validated", trail(log_file_validation=True), {PASS}),
    ("LOG002", "not-validated", trail(), {FAIL}),
    ("LOG002", "unknown", trail(log_file_validation=Unknown("var.validate")), {NE}),
    # LOG003
    ("LOG003", "kms-reference", trail(kms_key=Reference("aws_kms_key.audit", "arn")), {PASS}),
    ("LOG003", "kms-arn", trail(kms_key="arn:aws:kms:us-east-1:111122223333:alias/audit"),
     {PASS}),
    ("LOG003", "sse-s3-only", trail(), {FAIL}),
    ("LOG003", "unknown", trail(kms_key=Unknown("var.kms_key_arn")), {NE}),
    # LOG004
    ("LOG004", "one-year", log_group(365), {PASS}),
    ("LOG004", "never-expire", log_group(None), {PASS}),
    ("LOG004", "zero-never-expire", log_group(0), {PASS}),
    ("LOG004", "thirty-days", log_group(30), {FAIL}),
    ("LOG004", "unknown", log_group(Unknown("var.retention")), {NE}),
    # LOG006
    ("LOG006", "all", eks(ALL_EKS_LOGS), {PASS}),
    ("LOG006", "required-three", eks(("api", "audit", "authenticator")), {PASS}),
    ("LOG006", "audit-missing", eks(("api", "authenticator")), {FAIL}),
    ("LOG006", "none", eks(()), {FAIL}),
    ("LOG006", "unknown", eks(Unknown("var.log_types")), {NE}),
]

RULES = {r.code: r for r in (LOG001, LOG002, LOG003, LOG004, LOG005, LOG006)}


@pytest.mark.parametrize(
    ("code", "resource", "expected"),
    [pytest.param(code, res, exp, id=f"{code}-{name}") for code, name, res, exp in CASES],
)
def test_logging_rules(code: str, resource: Resource, expected: set[Status]) -> None:
    assert outcomes(RULES[code], resource) == expected


def test_log004_minimum_comes_from_settings() -> None:
    assert outcomes(LOG004, log_group(90), settings=Settings(log_retention_days=90)) == {PASS}
    assert outcomes(LOG004, log_group(90)) == {FAIL}


@pytest.mark.parametrize(
    ("resource", "others", "expected"),
    [
        pytest.param(RECORDS_LOGGED_TO_ACCESS_LOGS, [], {PASS}, id="logged"),
        pytest.param(bucket(), [], {FAIL}, id="not-logged"),
        pytest.param(bucket("access_logs"), [RECORDS_LOGGED_TO_ACCESS_LOGS], {NA},
                     id="log-target-by-reference"),
        pytest.param(
            bucket("access_logs"),
            [bucket(access_logging=True, log_target="acme-access_logs")],
            {NA},
            id="log-target-by-name",
        ),
        pytest.param(bucket("access_logs"), [bucket("other")], {FAIL}, id="not-a-target"),
        pytest.param(bucket(access_logging=Unknown("var.logging")), [], {NE}, id="unknown"),
    ],
)
def test_log005_access_logging(
    resource: S3Bucket, others: list[Resource], expected: set[Status]
) -> None:
    assert outcomes(LOG005, resource, others) == expected
