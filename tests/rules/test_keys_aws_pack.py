"""KEY002 (tightened), KEY004-KEY008 on the model."""

from __future__ import annotations

from typing import Any

import pytest
from tests.rules._aws_pack import EPHI, FAIL, NA, NE, PASS, U, doc, make, outcomes

from tutela.model.aws import (
    CloudTrail,
    DatabaseInstance,
    DynamoDbTable,
    Encryption,
    IamRole,
    KmsKey,
    LogGroup,
    S3Bucket,
    SecretsManagerSecret,
    SnsTopic,
)
from tutela.model.base import Resource
from tutela.rules.api import Rule, Status
from tutela.rules.identity import aws as identity
from tutela.rules.keys import aws as keys
from tutela.rules.keys import aws_pack as pack
from tutela.rules.settings import Settings

KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234"


def key(**f: Any) -> KmsKey:
    return make(KmsKey, **f)


def public(condition: dict[str, Any] | None = None) -> dict[str, Any]:
    st: dict[str, Any] = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt",
                          "Resource": "*"}
    if condition is not None:
        st["Condition"] = condition
    return st


CONDITIONS = [
    ({"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}, PASS),
    ({"StringEquals": {"kms:CallerAccount": "111122223333"}}, PASS),
    ({"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}, PASS),
    ({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::records"}}, PASS),
    ({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-abc/r-1/ou-2/*"}}, PASS),
    ({"Bool": {"aws:SecureTransport": "true"}}, FAIL),
    ({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, FAIL),
    ({"StringNotEquals": {"aws:PrincipalAccount": "111122223333"}}, FAIL),
    ({"StringEqualsIfExists": {"aws:SourceAccount": "111122223333"}}, FAIL),
    ({"StringLike": {"aws:PrincipalArn": "*"}}, FAIL),
]


@pytest.mark.parametrize(("condition", "expected"), CONDITIONS)
def test_key_policy_conditions_must_name_the_caller(condition: dict[str, Any],
                                                    expected: Status) -> None:
    assert outcomes(keys.kms_key_policy_not_public, key(policy=doc(public(condition)))) == {
        expected}


@pytest.mark.parametrize(("condition", "expected"), CONDITIONS)
def test_trust_policy_conditions_must_name_the_caller(condition: dict[str, Any],
                                                      expected: Status) -> None:
    trust = doc({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole",
                 "Condition": condition})
    assert outcomes(identity.role_trust_policy_not_public,
                    make(IamRole, assume_role_policy=trust)) == {expected}


def test_external_id_alone_does_not_name_the_caller() -> None:
    trust = doc({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole",
                 "Condition": {"StringEquals": {"sts:ExternalId": "partner-123"}}})
    assert outcomes(identity.role_trust_policy_not_public,
                    make(IamRole, assume_role_policy=trust)) == {FAIL}


def table(**f: Any) -> DynamoDbTable:
    return make(DynamoDbTable, **f)


CASES: list[tuple[str, Rule, Resource, set[Status]]] = [
    ("window 30", pack.key_deletion_window_meets_minimum, key(deletion_window_days=30), {PASS}),
    ("window default", pack.key_deletion_window_meets_minimum, key(), {PASS}),
    ("window 7", pack.key_deletion_window_meets_minimum, key(deletion_window_days=7), {FAIL}),
    ("window 14", pack.key_deletion_window_meets_minimum, key(deletion_window_days=14), {PASS}),
    ("window unknown", pack.key_deletion_window_meets_minimum, key(deletion_window_days=U),
     {NE}),
    ("table cmk", pack.ephi_store_uses_customer_managed_key,
     table(tags=EPHI, encryption=Encryption(True, "aws:kms", KEY_ARN)), {PASS}),
    ("table aws-owned", pack.ephi_store_uses_customer_managed_key, table(tags=EPHI), {FAIL}),
    ("table aws-managed", pack.ephi_store_uses_customer_managed_key,
     table(tags=EPHI, encryption=Encryption(True, "aws:kms", None)), {FAIL}),
    ("table not ephi", pack.ephi_store_uses_customer_managed_key, table(), {NA}),
    ("table tags unknown", pack.ephi_store_uses_customer_managed_key, table(tags=U), {NE}),
    ("secret alias/aws", pack.ephi_store_uses_customer_managed_key,
     make(SecretsManagerSecret, tags=EPHI, kms_key="alias/aws/secretsmanager"), {FAIL}),
    ("log group cmk", pack.ephi_store_uses_customer_managed_key,
     make(LogGroup, tags=EPHI, kms_key=KEY_ARN), {PASS}),
    ("topic key unknown", pack.ephi_store_uses_customer_managed_key,
     make(SnsTopic, tags=EPHI, kms_key=U), {NE}),
    ("rds cmk", pack.ephi_store_uses_customer_managed_key,
     make(DatabaseInstance, tags=EPHI, storage_encryption=Encryption(True, "aws:kms", KEY_ARN)),
     {PASS}),
    ("aurora member", pack.ephi_store_uses_customer_managed_key,
     make(DatabaseInstance, tags=EPHI, member_of_cluster=True), set()),
    ("not a data store", pack.ephi_store_uses_customer_managed_key, make(S3Bucket, tags=EPHI),
     set()),
    ("multi-region", pack.ephi_key_is_multi_region, key(tags=EPHI, multi_region=True), {PASS}),
    ("replicated", pack.ephi_key_is_multi_region,
     key(tags=EPHI, multi_region=False, replicas=("aws_kms_replica_key.dr",)), {PASS}),
    ("single region", pack.ephi_key_is_multi_region, key(tags=EPHI, multi_region=False), {FAIL}),
    ("not collected", pack.ephi_key_is_multi_region, key(tags=EPHI), {NE}),
    ("not ephi key", pack.ephi_key_is_multi_region, key(multi_region=False), {NA}),
    ("kms origin", pack.key_material_stays_in_hsm, key(), {PASS}),
    ("cloudhsm", pack.key_material_stays_in_hsm, key(origin="AWS_CLOUDHSM"), {PASS}),
    ("imported", pack.key_material_stays_in_hsm, key(origin="EXTERNAL"), {FAIL}),
    ("xks", pack.key_material_stays_in_hsm, key(origin="EXTERNAL_KEY_STORE"), {NE}),
    ("trail kms", pack.trail_records_key_events, make(CloudTrail), {PASS}),
    ("trail excludes kms", pack.trail_records_key_events,
     make(CloudTrail, excluded_event_sources=("kms.amazonaws.com",)), {FAIL}),
    ("data-only trail", pack.trail_records_key_events, make(CloudTrail, management_events=False),
     {NA}),
    ("exclusions unknown", pack.trail_records_key_events,
     make(CloudTrail, excluded_event_sources=U), {NE}),
]


@pytest.mark.parametrize(("rule", "resource", "expected"),
                         [pytest.param(r, res, e, id=i) for i, r, res, e in CASES])
def test_rule(rule: Rule, resource: Resource, expected: set[Status]) -> None:
    assert outcomes(rule, resource) == expected


def test_deletion_window_minimum_is_a_setting() -> None:
    strict = Settings(kms_deletion_window_min_days=30)
    assert outcomes(pack.key_deletion_window_meets_minimum, key(deletion_window_days=14),
                    settings=strict) == {FAIL}


def test_asymmetric_and_imported_keys_do_not_rotate() -> None:
    assert outcomes(keys.kms_key_rotation_enabled, key(origin="EXTERNAL")) == {NA}
