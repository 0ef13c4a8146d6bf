"""KEY001-KEY003 on the model: rotation, public key policies, customer-managed keys for ePHI."""

from __future__ import annotations

from typing import Any

import pytest

from tutela.engine.evaluate import evaluate
from tutela.engine.ruleset import RuleSet
from tutela.model.aws import Encryption, KmsKey, S3Bucket
from tutela.model.base import Resource
from tutela.model.policy import PolicyDocument, parse_policy
from tutela.model.values import Reference, Unknown
from tutela.rules.api import Rule, Status
from tutela.rules.keys import aws as keys
from tutela.rules.settings import DEFAULT_SETTINGS, Settings

KEY001 = keys.kms_key_rotation_enabled
KEY002 = keys.kms_key_policy_not_public
KEY003 = keys.ephi_bucket_uses_customer_managed_key

PASS, FAIL = Status.PASS, Status.FAIL
NA, NE = Status.NOT_APPLICABLE, Status.NOT_EVALUATED
EPHI = {"data_classification": "ephi"}


def outcomes(rule: Rule, resource: Resource, settings: Settings = DEFAULT_SETTINGS) -> set[Status]:
    return {f.status for f in evaluate([resource], RuleSet.of([rule]), settings=settings)}


# --- factories ------------------------------------------------------------------------------


def key(**fields: Any) -> KmsKey:
    return KmsKey(address="aws_kms_key.data", native_type="aws_kms_key", source="terraform",
                  **fields)


def key_policy(principal: Any, **extra: Any) -> PolicyDocument:
    parsed = parse_policy({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "kms:*",
                       "Resource": "*", **extra}],
    })
    assert isinstance(parsed, PolicyDocument)
    return parsed


def bucket(tags: Any = EPHI, enc: Encryption | None = None) -> S3Bucket:
    extra = {"encryption": enc} if enc is not None else {}
    return S3Bucket(address="aws_s3_bucket.records", native_type="aws_s3_bucket",
                    source="terraform", tags=tags, **extra)


RECORDS_KEY = Reference("aws_kms_key.records", "arn")


def kms(key_ref: Any = RECORDS_KEY, algorithm: Any = "aws:kms") -> Encryption:
    return Encryption(enabled=True, algorithm=algorithm, kms_key=key_ref)


# --- cases ----------------------------------------------------------------------------------

CASES = [
    # KEY001
    ("KEY001", "rotation-off", key(), {FAIL}),
    ("KEY001", "rotation-on", key(rotation_enabled=True), {PASS}),
    ("KEY001", "asymmetric", key(key_spec="RSA_4096"), {NA}),
    ("KEY001", "hmac", key(key_spec="HMAC_256"), {NA}),
    ("KEY001", "rotation-unknown", key(rotation_enabled=Unknown("var.rotate")), {NE}),
    ("KEY001", "spec-unknown", key(key_spec=Unknown("var.key_spec")), {NE}),
    # KEY002
    ("KEY002", "default-policy", key(), {PASS}),
    ("KEY002", "account-root",
     key(policy=key_policy({"AWS": "arn:aws:iam::111122223333:root"})), {PASS}),
    ("KEY002", "anyone", key(policy=key_policy({"AWS": "*"})), {FAIL}),
    ("KEY002", "anyone-string", key(policy=key_policy("*")), {FAIL}),
    ("KEY002", "anyone-in-account",
     key(policy=key_policy("*", Condition={"StringEquals": {"kms:CallerAccount": "1111"}})),
     {PASS}),
    ("KEY002", "policy-unknown", key(policy=Unknown("templatefile() with a variable")), {NE}),
    # KEY003
    ("KEY003", "ephi-cmk", bucket(enc=kms()), {PASS}),
    ("KEY003", "ephi-cmk-arn",
     bucket(enc=kms("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")),
     {PASS}),
    ("KEY003", "ephi-dsse", bucket(enc=kms(algorithm="aws:kms:dsse")), {PASS}),
    ("KEY003", "ephi-sse-s3", bucket(enc=Encryption(enabled=True, algorithm="AES256")), {FAIL}),
    ("KEY003", "ephi-unencrypted", bucket(), {FAIL}),
    ("KEY003", "ephi-kms-no-key", bucket(enc=kms(None)), {FAIL}),
    ("KEY003", "ephi-aws-managed-key", bucket(enc=kms("alias/aws/s3")), {FAIL}),
    ("KEY003", "not-ephi", bucket(tags={"team": "web"}), {NA}),
    ("KEY003", "untagged", bucket(tags={}), {NA}),
    ("KEY003", "tags-unknown", bucket(tags=Unknown("merge(var.tags)")), {NE}),
    ("KEY003", "encryption-unknown", bucket(enc=Encryption(enabled=Unknown("var.enc"))), {NE}),
    ("KEY003", "algorithm-unknown", bucket(enc=kms(algorithm=Unknown("var.algo"))), {NE}),
]

RULES = {r.code: r for r in (KEY001, KEY002, KEY003)}


@pytest.mark.parametrize(
    ("code", "resource", "expected"),
    [pytest.param(code, res, exp, id=f"{code}-{name}") for code, name, res, exp in CASES],
)
def test_key_rules(code: str, resource: Resource, expected: set[Status]) -> None:
    assert outcomes(RULES[code], resource) == expected


def test_key003_ephi_tags_come_from_settings() -> None:
    tagged = bucket(tags={"Compliance": "HIPAA"}, enc=Encryption(enabled=True, algorithm="AES256"))
    assert outcomes(KEY003, tagged) == {NA}
    custom = Settings(ephi_tag_keys=("Compliance",), ephi_tag_values=("hipaa",))
    assert outcomes(KEY003, tagged, custom) == {FAIL}
