"""Honest gaps: failed calls become coverage gaps and "not evaluated", never "no resources"."""

from __future__ import annotations

import json

import pytest

from tutela.collectors import COMPLETE, FAILED, PARTIAL, SKIPPED
from tutela.collectors.aws import gaps as gap_kinds
from tutela.collectors.aws.base import PLACEHOLDER_TYPE
from tutela.engine.evaluate import evaluate
from tutela.engine.ruleset import RuleSet
from tutela.model.aws import BackupPlan, LambdaCodeSigningConfig, S3Bucket
from tutela.model.values import Unknown
from tutela.rules.api import Severity, Verdict, failed, passed, rule

from .helpers import ACCOUNT, REGION, Moto, judge, of_type, run
from .seed import seed_everything

# Every API we call that this moto does not implement (or cannot reach): the allow-list.
KNOWN_MOTO_GAPS = {
    ("backup", REGION, "backup:ListBackupSelections", gap_kinds.NOT_IMPLEMENTED),
    ("lambda", REGION, "lambda:ListCodeSigningConfigs", gap_kinds.NOT_IMPLEMENTED),
    # S3 Control puts the account id in the host name (123456789012.127.0.0.1).
    ("s3", "global", "s3-control:GetPublicAccessBlock", gap_kinds.UNREACHABLE),
}


# Rules over exactly the data those gaps hide (no shipped rule reads them yet).
@rule(code="TST001", controls=("3.6.1.a.1",), severity=Severity.LOW, remediation="Select.")
def plan_selects_resources(plan: BackupPlan) -> Verdict:
    """Backup plans select resources.

    Why: test rule.
    """
    return passed() if plan.selections else failed("selects nothing")


@rule(code="TST002", controls=("3.5.2.a.4",), severity=Severity.LOW, remediation="Enforce.")
def signing_enforced(config: LambdaCodeSigningConfig) -> Verdict:
    """Code signing configurations enforce signatures.

    Why: test rule.
    """
    return passed() if config.enforce == "Enforce" else failed("warn only")


@rule(code="TST003", controls=("3.3.1.a.3",), severity=Severity.LOW, remediation="Block.")
def account_blocks_public_access(bucket: S3Bucket) -> Verdict:
    """The account blocks public access to buckets.

    Why: test rule.
    """
    return passed() if bucket.account_public_access_block else failed("no account block")


def test_every_moto_gap_is_recorded_and_nothing_else(moto: Moto) -> None:
    seed_everything(moto)
    collection = run(())
    found = {(g.service, g.region, g.call, g.reason) for g in collection.gaps}
    assert found == KNOWN_MOTO_GAPS
    status = {(c.service, c.region): c.status for c in collection.coverage}
    assert status[("backup", REGION)] == PARTIAL
    assert status[("lambda", REGION)] == PARTIAL  # functions listed, signing configs not
    assert status[("s3", "global")] == PARTIAL
    assert status[("iam", "global")] == COMPLETE
    assert sum(1 for s in status.values() if s == COMPLETE) == len(status) - 3

    findings = evaluate(collection.resources, RuleSet.of(
        [plan_selects_resources, signing_enforced, account_blocks_public_access]))
    by_code: dict[str, set[str]] = {}
    for f in findings:
        by_code.setdefault(f.rule_code, set()).add(f.status.value)
        assert "not collected:" in f.message, f.message
    assert by_code == {"TST001": {"not_evaluated"}, "TST002": {"not_evaluated"},
                       "TST003": {"not_evaluated"}}
    (plan,) = of_type(collection, BackupPlan)
    assert isinstance(plan.selections, Unknown)
    assert "backup:ListBackupSelections not implemented by the endpoint" in plan.selections.reason
    (placeholder,) = of_type(collection, LambdaCodeSigningConfig)
    assert placeholder.native_type == PLACEHOLDER_TYPE and placeholder.region == REGION


DENY_S3 = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "*", "Resource": "*"},
    {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}
ALLOW_ALL = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def _auditor(moto: Moto, role_policy: dict[str, object]) -> tuple[dict[str, str], str]:
    """A user allowed everything, and a role it may assume carrying `role_policy`."""
    iam = moto.client("iam")
    iam.create_user(UserName="auditor")
    iam.put_user_policy(UserName="auditor", PolicyName="all", PolicyDocument=json.dumps(ALLOW_ALL))
    key = iam.create_access_key(UserName="auditor")["AccessKey"]
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/auditor"},
        "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "x-42"}}}]}
    role = iam.create_role(RoleName="tutela-audit", AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(RoleName="tutela-audit", PolicyName="audit",
                        PolicyDocument=json.dumps(role_policy))
    creds = {"access_key_id": key["AccessKeyId"], "secret_access_key": key["SecretAccessKey"]}
    return creds, str(role["Role"]["Arn"])


def test_a_denied_service_gives_gaps_and_not_evaluated_and_the_rest_completes(moto: Moto) -> None:
    moto.client("s3").create_bucket(Bucket="hidden-records")
    kms = moto.client("kms")
    key = kms.create_key()["KeyMetadata"]["Arn"]
    creds, role = _auditor(moto, DENY_S3)
    moto.enforce_iam(True)

    collection = run(("s3", "kms"), role_arn=role, external_id="x-42", **creds)

    coverage = {(c.service, c.region): c for c in collection.coverage}
    s3 = coverage[("s3", "global")]
    assert s3.status == FAILED and s3.resources == 0
    (gap,) = s3.gaps
    assert (gap.call, gap.reason, gap.error_code) == (
        "s3:ListBuckets", gap_kinds.ACCESS_DENIED, "AccessDenied")
    assert coverage[("kms", REGION)].status == COMPLETE
    findings = judge(collection)
    s3_findings = [f for f in findings if f.resource_kind == "s3_bucket"]
    assert s3_findings and {f.status.value for f in s3_findings} == {"not_evaluated"}
    assert any("not collected: s3:ListBuckets access denied" in f.message for f in s3_findings)
    assert {f.status.value for f in findings if f.rule_code == "KEY001" and f.arn == key} == {
        "fail"}


def test_one_denied_call_makes_only_its_fields_unknown(moto: Moto) -> None:
    s3 = moto.client("s3")
    s3.create_bucket(Bucket="partly-visible")
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:GetBucketVersioning", "Resource": "*"}]}
    creds, _ = _auditor(moto, ALLOW_ALL)
    moto.client("iam").put_user_policy(UserName="auditor", PolicyName="all",
                                       PolicyDocument=json.dumps(policy))
    moto.enforce_iam(True)

    collection = run(("s3",), **creds)
    (bucket,) = [b for b in of_type(collection, S3Bucket) if b.name == "partly-visible"]
    assert isinstance(bucket.versioning, Unknown) and isinstance(bucket.mfa_delete, Unknown)
    assert bucket.encryption.enabled is False  # the other calls answered
    findings = judge(collection, ["ENC001", "BAK002"])
    assert {f.status.value for f in findings if f.rule_code == "BAK002"} == {"not_evaluated"}
    assert {f.status.value for f in findings if f.rule_code == "ENC001"} == {"fail"}
    (coverage,) = [c for c in collection.coverage if c.service == "s3"]
    assert coverage.status == PARTIAL
    denied = [(g.call, g.reason, g.example) for g in coverage.gaps
              if g.reason == gap_kinds.ACCESS_DENIED]
    assert denied == [
        ("s3:GetBucketVersioning", gap_kinds.ACCESS_DENIED, "arn:aws:s3:::partly-visible")]


def test_a_disabled_opt_in_region_is_reported_not_silently_empty(moto: Moto) -> None:
    collection = run(("kms", "iam"), regions=(REGION, "ap-east-1"))
    assert collection.regions == (REGION,)
    assert collection.regions_disabled == ("ap-east-1",)
    coverage = {(c.service, c.region): c for c in collection.coverage}
    skipped = coverage[("kms", "ap-east-1")]
    assert skipped.status == SKIPPED
    assert [(g.reason, g.error_code) for g in skipped.gaps] == [
        (gap_kinds.REGION_DISABLED, "not-opted-in")]
    assert coverage[("kms", REGION)].status == COMPLETE
    assert ("iam", "ap-east-1") not in coverage  # global services have no region


def test_a_crashing_collector_is_a_gap_and_the_others_complete(
    moto: Moto, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tutela.collectors.aws import kms

    def broken(_: object) -> list[object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(kms, "collect", broken)
    moto.client("s3").create_bucket(Bucket="still-here")
    collection = run(("kms", "s3"))
    coverage = {c.service: c for c in collection.coverage}
    assert coverage["kms"].status == FAILED
    assert "collector failed: RuntimeError: boom" in coverage["kms"].gaps[0].reason
    assert coverage["s3"].resources == 1


class _Op:
    name = "GetBucketEncryption"


def _client_error(code: str, status: int, message: str = "") -> Exception:
    from botocore.exceptions import ClientError

    return ClientError({"Error": {"Code": code, "Message": message},
                        "ResponseMetadata": {"HTTPStatusCode": status}}, "Op")


@pytest.mark.parametrize(("exc", "reason", "code"), [
    (lambda: _client_error("AccessDenied", 403), gap_kinds.ACCESS_DENIED, "AccessDenied"),
    (lambda: _client_error("UnauthorizedOperation", 403), gap_kinds.ACCESS_DENIED,
     "UnauthorizedOperation"),
    (lambda: _client_error("OptInRequired", 401), gap_kinds.REGION_DISABLED, "OptInRequired"),
    (lambda: _client_error("500", 500, "<!doctype html><title>500 Internal Server Error</title>"),
     gap_kinds.NOT_IMPLEMENTED, "500"),
    (lambda: _client_error("404", 404, "<!doctype html><title>404 Not Found</title>"),
     gap_kinds.NOT_IMPLEMENTED, "404"),
    (lambda: _client_error("NotImplemented", 501), gap_kinds.NOT_IMPLEMENTED, "NotImplemented"),
    (lambda: _client_error("ThrottlingException", 400), gap_kinds.THROTTLED,
     "ThrottlingException"),
])
def test_classify_client_errors(exc: object, reason: str, code: str) -> None:
    failure = gap_kinds.classify(exc())  # type: ignore[operator]
    assert (failure.reason, failure.error_code) == (reason, code)


def test_classify_transport_errors() -> None:
    from botocore.exceptions import ConnectTimeoutError, EndpointConnectionError, ReadTimeoutError
    from botocore.parsers import ResponseParserError

    url = "https://s3.amazonaws.com"
    assert gap_kinds.classify(ReadTimeoutError(endpoint_url=url)).reason == gap_kinds.TIMEOUT
    assert gap_kinds.classify(ConnectTimeoutError(endpoint_url=url)).reason == gap_kinds.TIMEOUT
    assert gap_kinds.classify(EndpointConnectionError(endpoint_url=url)).reason == (
        gap_kinds.UNREACHABLE)
    html = ResponseParserError("invalid XML received:\nb'<!doctype html><title>500 Internal")
    assert gap_kinds.classify(html).reason == gap_kinds.NOT_IMPLEMENTED
    other = gap_kinds.classify(_client_error("InvalidParameterValue", 400, "bad value"))
    assert other.reason == "error: bad value"
