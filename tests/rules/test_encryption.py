"""ENC001-ENC006 on the model: encryption at rest (S3, EBS, RDS) and in transit (ELB, S3 TLS)."""

from __future__ import annotations

from typing import Any

import pytest

from tutela.engine.evaluate import evaluate
from tutela.engine.ruleset import RuleSet
from tutela.model.aws import (
    DatabaseInstance,
    EbsVolume,
    Encryption,
    LoadBalancerListener,
    S3Bucket,
)
from tutela.model.base import Resource
from tutela.model.policy import PolicyDocument, parse_policy
from tutela.model.values import Reference, Unknown
from tutela.rules.api import Rule, Status
from tutela.rules.encryption import aws as encryption

ENC001 = encryption.bucket_encrypted_at_rest
ENC002 = encryption.volume_encrypted_at_rest
ENC003 = encryption.database_storage_encrypted
ENC004 = encryption.listener_uses_tls
ENC005 = encryption.listener_tls_policy_is_modern
ENC006 = encryption.bucket_requires_tls

PASS, FAIL = Status.PASS, Status.FAIL
NA, NE = Status.NOT_APPLICABLE, Status.NOT_EVALUATED

KMS = Encryption(enabled=True, algorithm="aws:kms", kms_key=Reference("aws_kms_key.data", "arn"))
SSE_S3 = Encryption(enabled=True, algorithm="AES256")


def outcomes(rule: Rule, resource: Resource) -> set[Status]:
    return {f.status for f in evaluate([resource], RuleSet.of([rule]))}


# --- factories ------------------------------------------------------------------------------


def bucket(**fields: Any) -> S3Bucket:
    return S3Bucket(address="aws_s3_bucket.records", native_type="aws_s3_bucket",
                    source="terraform", **fields)


def volume(enc: Encryption | None = None) -> EbsVolume:
    extra = {"encryption": enc} if enc is not None else {}
    return EbsVolume(address="aws_ebs_volume.data", native_type="aws_ebs_volume",
                     source="terraform", **extra)


def database(**fields: Any) -> DatabaseInstance:
    return DatabaseInstance(address="aws_db_instance.claims", native_type="aws_db_instance",
                            source="terraform", engine="postgres", **fields)


def listener(protocol: Any, **fields: Any) -> LoadBalancerListener:
    return LoadBalancerListener(address="aws_lb_listener.web", native_type="aws_lb_listener",
                                source="terraform", protocol=protocol, **fields)


def tls_policy(*statements: dict[str, Any]) -> PolicyDocument:
    parsed = parse_policy({"Version": "2012-10-17", "Statement": list(statements)})
    assert isinstance(parsed, PolicyDocument)
    return parsed


DENY_INSECURE = {
    "Sid": "DenyInsecureTransport",
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": ["arn:aws:s3:::records", "arn:aws:s3:::records/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}
ALLOW_READ = {
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:role/reader"},
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::records/*",
}

# --- cases ----------------------------------------------------------------------------------

CASES = [
    # ENC001
    ("ENC001", "no-encryption", bucket(), {FAIL}),
    ("ENC001", "sse-s3", bucket(encryption=SSE_S3), {PASS}),
    ("ENC001", "sse-kms", bucket(encryption=KMS), {PASS}),
    ("ENC001", "unknown", bucket(encryption=Encryption(enabled=Unknown("companion for_each"))),
     {NE}),
    # ENC002
    ("ENC002", "default-unencrypted", volume(), {FAIL}),
    ("ENC002", "encrypted", volume(Encryption(enabled=True)), {PASS}),
    ("ENC002", "unknown", volume(Encryption(enabled=Unknown("var.encrypted"))), {NE}),
    # ENC003
    ("ENC003", "unencrypted", database(), {FAIL}),
    ("ENC003", "encrypted", database(storage_encryption=KMS), {PASS}),
    ("ENC003", "encrypted-cluster", database(is_cluster=True, storage_encryption=KMS), {PASS}),
    ("ENC003", "cluster-member", database(member_of_cluster=True), {NA}),
    ("ENC003", "unknown", database(storage_encryption=Encryption(enabled=Unknown("var.enc"))),
     {NE}),
    # ENC004
    ("ENC004", "http-forward", listener("HTTP"), {FAIL}),
    ("ENC004", "http-redirect", listener("HTTP", redirects_to_https=True), {PASS}),
    ("ENC004", "https", listener("HTTPS"), {PASS}),
    ("ENC004", "tls", listener("TLS"), {PASS}),
    ("ENC004", "tcp", listener("TCP"), {NA}),
    ("ENC004", "protocol-unknown", listener(Unknown("var.protocol")), {NE}),
    ("ENC004", "redirect-unknown", listener("HTTP", redirects_to_https=Unknown("var.redir")),
     {NE}),
    # ENC005
    ("ENC005", "tls13", listener("HTTPS", ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06"),
     {PASS}),
    ("ENC005", "tls12", listener("TLS", ssl_policy="ELBSecurityPolicy-TLS-1-2-2017-01"), {PASS}),
    ("ENC005", "legacy-2016", listener("HTTPS", ssl_policy="ELBSecurityPolicy-2016-08"), {FAIL}),
    ("ENC005", "tls10", listener("HTTPS", ssl_policy="ELBSecurityPolicy-TLS-1-0-2015-04"),
     {FAIL}),
    ("ENC005", "default-policy", listener("HTTPS"), {FAIL}),
    ("ENC005", "http", listener("HTTP"), {NA}),
    ("ENC005", "policy-unknown", listener("HTTPS", ssl_policy=Unknown("var.ssl_policy")), {NE}),
    # ENC006
    ("ENC006", "no-policy", bucket(), {FAIL}),
    ("ENC006", "policy-without-tls-deny", bucket(policy=tls_policy(ALLOW_READ)), {FAIL}),
    ("ENC006", "deny-insecure", bucket(policy=tls_policy(ALLOW_READ, DENY_INSECURE)), {PASS}),
    ("ENC006", "policy-unknown", bucket(policy=Unknown("policy from a module")), {NE}),
]

RULES = {r.code: r for r in (ENC001, ENC002, ENC003, ENC004, ENC005, ENC006)}


@pytest.mark.parametrize(
    ("code", "resource", "expected"),
    [pytest.param(code, res, exp, id=f"{code}-{name}") for code, name, res, exp in CASES],
)
def test_encryption_rules(code: str, resource: Resource, expected: set[Status]) -> None:
    assert outcomes(RULES[code], resource) == expected


def test_enc001_message_names_the_algorithm() -> None:
    (finding,) = evaluate([bucket(encryption=KMS)], RuleSet.of([ENC001]))
    assert "aws:kms" in finding.message


def test_enc005_default_policy_is_named_as_implied() -> None:
    (finding,) = evaluate([listener("HTTPS")], RuleSet.of([ENC005]))
    assert "default" in finding.message
