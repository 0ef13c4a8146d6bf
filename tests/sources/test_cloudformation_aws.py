"""CloudFormation AWS adapter: evaluated template resources -> the normalized AWS model."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tutela.model.aws import (
    AccessKey,
    CloudTrail,
    DatabaseInstance,
    EbsVolume,
    Ec2Instance,
    EcrRepository,
    EksCluster,
    Encryption,
    IamPolicy,
    IamRole,
    IamUser,
    KmsKey,
    LambdaFunction,
    LoadBalancerListener,
    LogGroup,
    PublicAccessBlock,
    S3Bucket,
    SecurityGroup,
)
from tutela.model.base import Resource
from tutela.model.policy import PolicyDocument
from tutela.model.values import Location, Reference, Unknown, is_unknown
from tutela.sources.cloudformation.aws import adapt_cloudformation
from tutela.sources.raw import RawResource

FIXTURES = Path(__file__).parent / "fixtures" / "adapters" / "cloudformation"
R = TypeVar("R", bound=Resource)
U = Unknown("parameter Env has no value")
_line = iter(range(1, 10**9, 100))


def raw(type_: str, logical_id: str = "X", props: Mapping[str, Any] | None = None,
        **resource_attrs: Any) -> RawResource:
    """A resource as the CloudFormation loader makes it; each property on its own line."""
    start = next(_line)
    attrs = dict(props or {})
    attrs.update({f"__{k}": v for k, v in resource_attrs.items()})
    locs = {k: Location("t.yaml", start + 2 + i, start + 2 + i) for i, k in enumerate(attrs)}
    return RawResource(address=logical_id, type=type_, mode="resource", attributes=attrs,
                       location=Location("t.yaml", start, start + 50), source="cloudformation",
                       attribute_locations=locs, name=logical_id)


def only(resources: list[Resource], cls: type[R], address: str | None = None) -> R:
    found = [r for r in resources if isinstance(r, cls)
             and (address is None or r.address == address)]
    assert len(found) == 1, f"expected one {cls.__name__} {address or ''}, got {found}"
    return found[0]


def adapt1(cls: type[R], *raws: RawResource) -> R:
    return only(adapt_cloudformation(raws), cls, raws[0].address)


def same(got: Any, expected: Any) -> bool:
    if is_unknown(expected):
        return is_unknown(got)
    return bool(got == expected)


# --------------------------------------------------------------------------- common fields


def test_common_fields_and_tags_list() -> None:
    r = raw("AWS::S3::Bucket", "Logs", {"BucketName": "b", "Tags": [
        {"Key": "team", "Value": "core"}, {"Key": "n", "Value": 3}]}, DeletionPolicy="Retain")
    bucket = adapt1(S3Bucket, r)
    assert (bucket.address, bucket.native_type, bucket.source, bucket.location, bucket.name) == (
        "Logs", "AWS::S3::Bucket", "cloudformation", r.location, "Logs")
    assert dict(bucket.tags) == {"team": "core", "n": "3"}
    assert is_unknown(bucket.region)  # the stack's region is known only at deployment
    assert bucket.bucket_name == "b"


@pytest.mark.parametrize("tags", [U, [{"Key": "a", "Value": U}], [U], ["not-a-pair"]])
def test_unknown_or_odd_tags(tags: Any) -> None:
    assert is_unknown(adapt1(S3Bucket, raw("AWS::S3::Bucket", props={"Tags": tags})).tags)


def test_unrecognised_types_yield_nothing() -> None:
    param = RawResource("Parameters.Env", "AWS::CloudFormation::Parameter", "parameter",
                        {"Type": "String"}, Location("t.yaml", 1, 2), "cloudformation")
    out = adapt_cloudformation([param, raw("Custom::Thing"), raw("AWS::Route53::HostedZone")])
    assert [r.kind for r in out] == ["stack_parameter"]  # parameters: see the AWS pack tests


def test_properties_unknown_as_a_whole() -> None:
    r = raw("AWS::S3::Bucket", "B", {"__Properties": U})
    bucket = adapt1(S3Bucket, r)
    assert is_unknown(bucket.encryption.enabled) and is_unknown(bucket.versioning)
    assert is_unknown(bucket.tags)
    group = adapt1(SecurityGroup, raw("AWS::EC2::SecurityGroup", "G", {"__Properties": U}))
    assert is_unknown(group.rules)


# --------------------------------------------------------------------------- S3


def test_bucket_defaults() -> None:
    bucket = adapt1(S3Bucket, raw("AWS::S3::Bucket"))
    assert bucket.encryption == Encryption(enabled=False)
    assert (bucket.versioning, bucket.access_logging, bucket.object_lock, bucket.mfa_delete) == (
        False, False, False, False)
    assert bucket.public_access_block is None and bucket.policy is None and bucket.acl is None


KMS = {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {
    "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": Reference("Key", "Arn")}}]}


@pytest.mark.parametrize(("props", "field", "expected"), [
    ({"BucketEncryption": KMS}, "encryption", Encryption(True, "aws:kms", Reference("Key", "Arn"))),
    ({"BucketEncryption": {"ServerSideEncryptionConfiguration": [
        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": U}}]}}, "encryption",
     Encryption(True, U)),
    ({"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"BucketKeyEnabled": True}]}},
     "encryption", Encryption(False)),
    ({"BucketEncryption": U}, "encryption", "unknown-enabled"),
    ({"VersioningConfiguration": {"Status": "Enabled"}}, "versioning", True),
    ({"VersioningConfiguration": {"Status": "Suspended"}}, "versioning", False),
    ({"VersioningConfiguration": {"Status": U}}, "versioning", U),
    ({"PublicAccessBlockConfiguration": {"BlockPublicAcls": "true", "BlockPublicPolicy": True}},
     "public_access_block", PublicAccessBlock(True, True, False, False)),
    ({"LoggingConfiguration": {"DestinationBucketName": Reference("LogBucket")}},
     "log_target", "LogBucket"),
    ({"LoggingConfiguration": {}}, "access_logging", True),
    ({"LoggingConfiguration": {}}, "log_target", "X"),  # into the bucket itself
    ({"ObjectLockEnabled": "true"}, "object_lock", True),
    ({"AccessControl": "PublicReadWrite"}, "acl", "public-read-write"),
    ({"AccessControl": "BucketOwnerFullControl"}, "acl", "bucket-owner-full-control"),
])
def test_bucket_properties(props: dict[str, Any], field: str, expected: Any) -> None:
    bucket = adapt1(S3Bucket, raw("AWS::S3::Bucket", "X", props))
    got = getattr(bucket, field)
    if isinstance(expected, str) and expected == "unknown-enabled":
        assert is_unknown(got.enabled)
    elif isinstance(expected, Encryption) and is_unknown(expected.algorithm):
        assert got.enabled is True and is_unknown(got.algorithm)
    else:
        assert same(got, expected)
    assert bucket.field_locations[field] == bucket.field_locations[field]  # present
    assert field in bucket.field_locations


DENY_HTTP = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Deny", "Principal": "*", "Action": "s3:*",
    "Resource": [Unknown("Fn::Sub depends on ${Bucket.Arn}")],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}


@pytest.mark.parametrize("pointer", [Reference("Bucket"), Reference("Bucket", "Arn"), "acme-data"])
def test_bucket_policy_joins_by_ref_or_name(pointer: Any) -> None:
    bucket = raw("AWS::S3::Bucket", "Bucket", {"BucketName": "acme-data"})
    other = raw("AWS::S3::Bucket", "Other")
    policy = raw("AWS::S3::BucketPolicy", "Policy", {"Bucket": pointer,
                                                      "PolicyDocument": DENY_HTTP})
    out = adapt_cloudformation([policy, bucket, other])
    got = only(out, S3Bucket, "Bucket")
    assert isinstance(got.policy, PolicyDocument)
    assert got.policy.statements[0].condition_values("aws:SecureTransport") == ("false",)
    assert got.field_locations["policy"] == policy.attribute_locations["PolicyDocument"]
    assert only(out, S3Bucket, "Other").policy is None


def test_bucket_policy_with_unknown_bucket_makes_policies_unknown() -> None:
    bucket = raw("AWS::S3::Bucket", "Bucket")
    inline = raw("AWS::S3::Bucket", "Joined")
    joined = raw("AWS::S3::BucketPolicy", "P1", {"Bucket": Reference("Joined"),
                                                  "PolicyDocument": DENY_HTTP})
    lost = raw("AWS::S3::BucketPolicy", "P2", {"Bucket": Unknown("Fn::ImportValue"),
                                                "PolicyDocument": DENY_HTTP})
    out = adapt_cloudformation([bucket, inline, joined, lost])
    assert is_unknown(only(out, S3Bucket, "Bucket").policy)
    assert only(out, S3Bucket, "Bucket").field_locations["policy"] == lost.location
    assert isinstance(only(out, S3Bucket, "Joined").policy, PolicyDocument)


def test_bucket_policy_for_an_imported_bucket_name_is_ignored() -> None:
    bucket = raw("AWS::S3::Bucket", "Bucket", {"BucketName": "mine"})
    policy = raw("AWS::S3::BucketPolicy", "P", {"Bucket": "not-mine", "PolicyDocument": {}})
    assert adapt1(S3Bucket, bucket, policy).policy is None


def test_policy_document_as_json_string_and_invalid() -> None:
    bucket = raw("AWS::S3::Bucket", "B")
    good = raw("AWS::S3::BucketPolicy", "P", {"Bucket": Reference("B"),
                                               "PolicyDocument": json.dumps(DENY_HTTP | {
                                                   "Statement": [{"Effect": "Deny"}]})})
    assert isinstance(adapt1(S3Bucket, bucket, good).policy, PolicyDocument)
    bad = raw("AWS::S3::BucketPolicy", "P", {"Bucket": Reference("B"), "PolicyDocument": "{x"})
    got = adapt1(S3Bucket, bucket, bad).policy
    assert is_unknown(got) and got.reason.startswith("policy is not valid JSON")


# --------------------------------------------------------------------------- EC2


@pytest.mark.parametrize(("props", "enabled", "key"), [
    ({}, False, None),
    ({"Encrypted": "true", "KmsKeyId": Reference("Key")}, True, Reference("Key")),
    ({"Encrypted": False}, False, None),
    ({"Encrypted": U}, U, None),
    ({"SnapshotId": "snap-1"}, U, None),
    ({"Encrypted": {"Fn::Weird": 1}}, U, None),
])
def test_volume(props: dict[str, Any], enabled: Any, key: Any) -> None:
    vol = adapt1(EbsVolume, raw("AWS::EC2::Volume", "V", props))
    assert same(vol.encryption.enabled, enabled) and vol.encryption.kms_key == key
    if props:
        assert "encryption" in vol.field_locations


def test_instance_block_devices_and_defaults() -> None:
    inst = raw("AWS::EC2::Instance", "I", {
        "ImageId": "ami-1",
        "BlockDeviceMappings": [
            {"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": True, "VolumeSize": 20}},
            {"DeviceName": "/dev/xvdb", "Ebs": {"VolumeSize": 20}},
            {"DeviceName": "/dev/xvdc", "VirtualName": "ephemeral0"}],
        "NetworkInterfaces": [{"AssociatePublicIpAddress": "true", "DeviceIndex": "0"}],
    })
    out = adapt_cloudformation([inst])
    got = only(out, Ec2Instance)
    assert got.metadata_options.http_tokens == "optional"  # no launch template: AWS default
    assert got.public_ip is True and got.image_id == "ami-1" and got.is_template is False
    vols = [r for r in out if isinstance(r, EbsVolume)]
    assert [(v.address, v.encryption.enabled) for v in vols] == [
        ("I/BlockDeviceMappings[0]", True), ("I/BlockDeviceMappings[1]", False)]
    assert vols[0].location == inst.attribute_locations["BlockDeviceMappings"]


def test_instance_metadata_options_come_from_its_launch_template() -> None:
    lt = raw("AWS::EC2::LaunchTemplate", "LT", {"LaunchTemplateData": {
        "MetadataOptions": {"HttpTokens": "required"},
        "BlockDeviceMappings": [{"Ebs": {"Encrypted": "false"}}]}})
    inst = raw("AWS::EC2::Instance", "I", {"LaunchTemplate": {
        "LaunchTemplateId": Reference("LT"), "Version": Reference("LT", "LatestVersionNumber")}})
    elsewhere = raw("AWS::EC2::Instance", "E", {"LaunchTemplate": {
        "LaunchTemplateName": "shared"}})
    out = adapt_cloudformation([inst, elsewhere, lt])
    got = only(out, Ec2Instance, "I")
    assert got.metadata_options.http_tokens == "required"
    assert got.field_locations["metadata_options"] == lt.attribute_locations["LaunchTemplateData"]
    assert is_unknown(only(out, Ec2Instance, "E").metadata_options.http_tokens)
    template = only(out, Ec2Instance, "LT")
    assert template.is_template and template.metadata_options.http_tokens == "required"
    assert only(out, EbsVolume).encryption.enabled is False


# --------------------------------------------------------------------------- RDS


def test_db_instance_defaults() -> None:
    db = adapt1(DatabaseInstance, raw("AWS::RDS::DBInstance", "DB", {"Engine": "mysql",
                                                                     "PubliclyAccessible": False}))
    assert db.storage_encryption == Encryption(False)
    assert (db.multi_az, db.deletion_protection, db.iam_authentication) == (False, False, False)
    assert db.backup_retention_days == 1 and db.auto_minor_version_upgrade is True
    assert db.publicly_accessible is False


def test_db_instance_public_access_left_to_aws_is_unknown() -> None:
    db = adapt1(DatabaseInstance, raw("AWS::RDS::DBInstance", "DB"))
    assert is_unknown(db.publicly_accessible)


@pytest.mark.parametrize(("props", "field", "expected"), [
    ({"StorageEncrypted": "true", "KmsKeyId": Reference("Key")}, "storage_encryption",
     Encryption(True, "aws:kms", Reference("Key"))),
    ({"PubliclyAccessible": "true"}, "publicly_accessible", True),
    ({"BackupRetentionPeriod": "0"}, "backup_retention_days", 0),
    ({"BackupRetentionPeriod": U}, "backup_retention_days", U),
    ({"MultiAZ": True}, "multi_az", True),
    ({"DeletionProtection": "true"}, "deletion_protection", True),
    ({"EnableIAMDatabaseAuthentication": True}, "iam_authentication", True),
    ({"AutoMinorVersionUpgrade": "false"}, "auto_minor_version_upgrade", False),
    ({"EnableCloudwatchLogsExports": ["error", "audit"]}, "log_exports", ("error", "audit")),
])
def test_db_instance_values(props: dict[str, Any], field: str, expected: Any) -> None:
    db = adapt1(DatabaseInstance, raw("AWS::RDS::DBInstance", "DB", props))
    assert same(getattr(db, field), expected)
    assert field in db.field_locations


def test_db_cluster_and_members() -> None:
    cluster = raw("AWS::RDS::DBCluster", "C", {"Engine": "aurora-postgresql",
                                               "StorageEncrypted": True,
                                               "BackupRetentionPeriod": 14,
                                               "DBClusterIdentifier": "aurora-1"})
    member = raw("AWS::RDS::DBInstance", "M", {"DBClusterIdentifier": Reference("C"),
                                               "PubliclyAccessible": False})
    by_name = raw("AWS::RDS::DBInstance", "N", {"DBClusterIdentifier": "aurora-1"})
    lost = raw("AWS::RDS::DBInstance", "L", {"DBClusterIdentifier": "elsewhere"})
    serverless = raw("AWS::RDS::DBCluster", "S", {"EngineMode": "serverless"})
    out = adapt_cloudformation([member, by_name, lost, cluster, serverless])
    c = only(out, DatabaseInstance, "C")
    assert c.is_cluster and c.storage_encryption.enabled is True
    assert c.backup_retention_days == 14 and c.engine_mode == "provisioned"
    for address in ("M", "N"):
        m = only(out, DatabaseInstance, address)
        assert m.member_of_cluster and m.storage_encryption.enabled is True
        assert m.field_locations["storage_encryption"] == cluster.attribute_locations[
            "StorageEncrypted"]
    assert is_unknown(only(out, DatabaseInstance, "L").storage_encryption.enabled)
    assert only(out, DatabaseInstance, "S").storage_encryption.enabled is True


def test_db_restored_from_snapshot_inherits_encryption() -> None:
    db = adapt1(DatabaseInstance, raw("AWS::RDS::DBInstance", "DB",
                                      {"DBSnapshotIdentifier": "snap"}))
    assert is_unknown(db.storage_encryption.enabled)


# --------------------------------------------------------------------------- KMS


def test_kms_key() -> None:
    key = adapt1(KmsKey, raw("AWS::KMS::Key", "K"))
    assert (key.rotation_enabled, key.key_spec, key.deletion_window_days, key.enabled,
            key.policy) == (False, "SYMMETRIC_DEFAULT", 30, True, None)
    key = adapt1(KmsKey, raw("AWS::KMS::Key", "K", {
        "EnableKeyRotation": "true", "KeySpec": "RSA_4096", "PendingWindowInDays": "7",
        "Enabled": False, "KeyPolicy": {"Statement": [{"Effect": "Allow", "Principal": {
            "AWS": Reference("Role", "Arn")}, "Action": "kms:*", "Resource": "*"}]}}))
    assert (key.rotation_enabled, key.key_spec, key.deletion_window_days, key.enabled) == (
        True, "RSA_4096", 7, False)
    assert isinstance(key.policy, PolicyDocument)
    assert key.policy.statements[0].principals[0].identifiers == ("Role.Arn",)
    assert not key.policy.statements[0].principal_is_public
    assert {"rotation_enabled", "policy", "deletion_window_days"} <= set(key.field_locations)
    assert is_unknown(adapt1(KmsKey, raw("AWS::KMS::Key", "K", {
        "EnableKeyRotation": U})).rotation_enabled)


# --------------------------------------------------------------------------- security groups


def test_security_group_inline_and_standalone_rules() -> None:
    sg = raw("AWS::EC2::SecurityGroup", "SG", {
        "GroupDescription": "web", "VpcId": Reference("Vpc"),
        "SecurityGroupIngress": [
            {"IpProtocol": "tcp", "FromPort": "22", "ToPort": 22, "CidrIp": "0.0.0.0/0"},
            {"IpProtocol": -1, "SourceSecurityGroupId": Reference("Other")}],
        "SecurityGroupEgress": [{"IpProtocol": "udp", "FromPort": 53, "ToPort": 53,
                                 "CidrIp": "10.0.0.0/8"}],
    })
    by_ref = raw("AWS::EC2::SecurityGroupIngress", "In1", {
        "GroupId": Reference("SG", "GroupId"), "IpProtocol": "tcp", "FromPort": 3389,
        "ToPort": 3389, "CidrIpv6": "::/0"})
    by_plain_ref = raw("AWS::EC2::SecurityGroupIngress", "In2", {
        "GroupId": Reference("SG"), "IpProtocol": "6", "FromPort": 5432, "ToPort": 5432,
        "CidrIp": "0.0.0.0/0"})
    egress = raw("AWS::EC2::SecurityGroupEgress", "Out", {
        "GroupId": Reference("SG"), "IpProtocol": "-1", "CidrIp": "0.0.0.0/0"})
    out = adapt_cloudformation([sg, by_ref, by_plain_ref, egress])
    assert len([r for r in out if isinstance(r, SecurityGroup)]) == 1
    group = only(out, SecurityGroup, "SG")
    rules = group.rules
    assert not is_unknown(rules)
    assert [(r.direction, r.protocol, r.from_port, r.to_port) for r in rules] == [
        ("ingress", "tcp", 22, 22), ("ingress", "-1", None, None), ("egress", "udp", 53, 53),
        ("ingress", "tcp", 3389, 3389), ("ingress", "tcp", 5432, 5432), ("egress", "-1", None,
                                                                          None)]
    assert [r.path for r in rules] == [f"rules[{i}]" for i in range(6)]
    assert rules[1].source_security_groups == ("Other",)
    assert rules[3].ipv6_cidr_blocks == ("::/0",) and rules[3].open_to_internet
    assert group.field_locations["rules[0]"] == sg.attribute_locations["SecurityGroupIngress"]
    assert group.field_locations["rules[2]"] == sg.attribute_locations["SecurityGroupEgress"]
    assert group.field_locations["rules[3]"] == by_ref.location
    assert group.field_locations["rules[5]"] == egress.location
    assert group.vpc_id == Reference("Vpc") and group.description == "web"


def test_security_group_without_egress_keeps_the_default_allow_all() -> None:
    group = adapt1(SecurityGroup, raw("AWS::EC2::SecurityGroup", "SG", {"GroupDescription": "x"}))
    assert not is_unknown(group.rules)
    (rule,) = group.rules
    assert (rule.direction, rule.protocol, rule.cidr_blocks) == ("egress", "-1", ("0.0.0.0/0",))
    empty = adapt1(SecurityGroup, raw("AWS::EC2::SecurityGroup", "SG", {
        "SecurityGroupEgress": []}))
    assert empty.rules == ()


@pytest.mark.parametrize("group_id", [Unknown("Fn::ImportValue"), "sg-0abc", Reference("Nope")])
def test_standalone_rule_for_an_unknown_group_is_judged_alone(group_id: Any) -> None:
    rule = raw("AWS::EC2::SecurityGroupIngress", "In", {
        "GroupId": group_id, "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
        "CidrIp": "0.0.0.0/0"})
    alone = adapt1(SecurityGroup, rule)
    assert not is_unknown(alone.rules)
    assert alone.rules[0].covers_port(22) and alone.rules[0].open_to_internet
    assert alone.location_of("rules[0]") == rule.location


@pytest.mark.parametrize(("ingress", "check"), [
    (U, lambda rules: is_unknown(rules)),
    ([{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": U}],
     lambda rules: is_unknown(rules[0].cidr_blocks)),
    ([{"IpProtocol": U, "CidrIp": "0.0.0.0/0"}], lambda rules: is_unknown(rules[0].protocol)),
    ([{"CidrIp": "0.0.0.0/0"}], lambda rules: is_unknown(rules[0].protocol)),
    ([U], lambda rules: is_unknown(rules)),
])
def test_security_group_unknowns(ingress: Any, check: Any) -> None:
    group = adapt1(SecurityGroup, raw("AWS::EC2::SecurityGroup", "SG", {
        "SecurityGroupIngress": ingress, "SecurityGroupEgress": []}))
    assert check(group.rules)


# --------------------------------------------------------------------------- IAM

ADMIN = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*",
                                                 "Resource": "*"}]}


def test_policy_with_users_attaches_to_them() -> None:
    user = raw("AWS::IAM::User", "Alice", {"UserName": "alice"})
    bob = raw("AWS::IAM::User", "Bob", {"UserName": "bob"})
    carol = raw("AWS::IAM::User", "Carol")
    pol = raw("AWS::IAM::Policy", "Pol", {"PolicyName": "p", "PolicyDocument": ADMIN,
                                          "Users": [Reference("Alice"), "bob"]})
    managed = raw("AWS::IAM::ManagedPolicy", "MP", {"PolicyDocument": json.dumps(ADMIN),
                                                    "Users": [Reference("Alice")]})
    out = adapt_cloudformation([user, bob, carol, pol, managed])
    alice = only(out, IamUser, "Alice")
    assert alice.attached_policies == ("Pol", "MP") and alice.inline_policies == ("Pol",)
    assert alice.field_locations["attached_policies"] == pol.location
    assert only(out, IamUser, "Bob").attached_policies == ("Pol",)
    assert only(out, IamUser, "Carol").attached_policies == ()
    p = only(out, IamPolicy, "Pol")
    assert p.attached_to == "user" and p.principal_name == "Alice"
    assert isinstance(p.document, PolicyDocument) and p.document.statements[0].actions == ("*",)
    assert p.field_locations["document"] == pol.attribute_locations["PolicyDocument"]
    m = only(out, IamPolicy, "MP")
    assert m.attached_to == "" and isinstance(m.document, PolicyDocument)


def test_role_with_inline_and_managed_policies() -> None:
    role = raw("AWS::IAM::Role", "Role", {
        "RoleName": "app",
        "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {
            "Service": ["lambda.amazonaws.com"]}, "Action": ["sts:AssumeRole"]}]},
        "Policies": [{"PolicyName": "inline", "PolicyDocument": ADMIN},
                     {"PolicyName": "broken", "PolicyDocument": "{nope"}],
        "ManagedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess", Reference("MP")],
    })
    extra = raw("AWS::IAM::Policy", "Extra", {"PolicyDocument": ADMIN,
                                              "Roles": [Reference("Role")]})
    managed = raw("AWS::IAM::ManagedPolicy", "MP2", {"PolicyDocument": ADMIN,
                                                     "Roles": ["app"]})
    out = adapt_cloudformation([role, extra, managed])
    got = only(out, IamRole)
    assert got.role_name == "app" and isinstance(got.assume_role_policy, PolicyDocument)
    assert len(got.inline_policies) == 2  # the valid inline one and the folded Policy
    assert got.managed_policy_arns == ("arn:aws:iam::aws:policy/ReadOnlyAccess", "MP", "MP2")
    first = only(out, IamPolicy, "Role/Policies[0]")
    assert first.attached_to == "role" and first.principal_name == "app"
    assert first.name == "inline" and first.location == role.attribute_locations["Policies"]
    assert is_unknown(only(out, IamPolicy, "Role/Policies[1]").document)
    assert only(out, IamPolicy, "Extra").attached_to == "role"


def test_user_properties_login_profile_and_keys() -> None:
    user = raw("AWS::IAM::User", "U", {
        "UserName": "svc", "LoginProfile": {"Password": "x"},
        "ManagedPolicyArns": ["arn:aws:iam::aws:policy/AdministratorAccess"],
        "Policies": [{"PolicyName": "own", "PolicyDocument": ADMIN}]})
    key = raw("AWS::IAM::AccessKey", "Key", {"UserName": Reference("U"), "Status": "Inactive"})
    plain = raw("AWS::IAM::User", "Plain")
    out = adapt_cloudformation([user, key, plain])
    got = only(out, IamUser, "U")
    assert got.has_console_password is True and got.access_keys == ("Key",)
    assert got.attached_policies == ("arn:aws:iam::aws:policy/AdministratorAccess",
                                     "U/Policies[0]")
    assert got.inline_policies == ("U/Policies[0]",)
    assert got.field_locations["has_console_password"] == user.attribute_locations["LoginProfile"]
    assert only(out, IamPolicy, "U/Policies[0]").attached_to == "user"
    k = only(out, AccessKey)
    assert k.user == Reference("U") and k.active is False
    p = only(out, IamUser, "Plain")
    assert (p.has_console_password, p.attached_policies, p.access_keys) == (False, (), ())
    assert is_unknown(adapt1(IamUser, raw("AWS::IAM::User", "U", {
        "LoginProfile": U})).has_console_password)


@pytest.mark.parametrize(("type_", "prop", "attached"), [
    ("AWS::IAM::UserPolicy", "UserName", "user"), ("AWS::IAM::RolePolicy", "RoleName", "role"),
    ("AWS::IAM::GroupPolicy", "GroupName", "group"),
])
def test_standalone_inline_policy_types(type_: str, prop: str, attached: str) -> None:
    pol = adapt1(IamPolicy, raw(type_, "P", {prop: "someone", "PolicyDocument": ADMIN}))
    assert pol.attached_to == attached and pol.principal_name == "someone"


def test_group_inline_policies() -> None:
    out = adapt_cloudformation([raw("AWS::IAM::Group", "G", {
        "GroupName": "devs", "Policies": [{"PolicyName": "p", "PolicyDocument": ADMIN}]})])
    pol = only(out, IamPolicy)
    assert pol.attached_to == "group" and pol.principal_name == "devs"


# --------------------------------------------------------------------------- the rest


@pytest.mark.parametrize(("props", "expected"), [
    ({}, (False, False, True, True, True, False)),
    ({"IsMultiRegionTrail": "true", "EnableLogFileValidation": True, "IsLogging": False,
      "IncludeGlobalServiceEvents": False},
     (True, True, False, False, True, False)),
    ({"EventSelectors": [{"IncludeManagementEvents": False, "DataResources": [
        {"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}]}]},
     (False, False, True, True, False, True)),
    ({"AdvancedEventSelectors": [{"FieldSelectors": [
        {"Field": "eventCategory", "Equals": ["Management"]}]}]},
     (False, False, True, True, True, False)),
    ({"EventSelectors": U}, (False, False, True, True, U, U)),
])
def test_trail(props: dict[str, Any], expected: tuple[Any, ...]) -> None:
    t = adapt1(CloudTrail, raw("AWS::CloudTrail::Trail", "T", {"S3BucketName": "logs",
                                                                "KMSKeyId": Reference("K"),
                                                                **props}))
    got = (t.multi_region, t.log_file_validation, t.logging_enabled, t.include_global_events,
           t.management_events, t.data_events)
    assert all(same(g, e) for g, e in zip(got, expected, strict=True)), got
    assert t.kms_key == Reference("K") and t.s3_bucket == "logs"


@pytest.mark.parametrize(("props", "days"), [({}, 0), ({"RetentionInDays": "30"}, 30),
                                             ({"RetentionInDays": U}, U)])
def test_log_group(props: dict[str, Any], days: Any) -> None:
    group = adapt1(LogGroup, raw("AWS::Logs::LogGroup", "L", {**props, "KmsKeyId": "arn:k"}))
    assert same(group.retention_days, days) and group.kms_key == "arn:k"


def test_listeners() -> None:
    alb = raw("AWS::ElasticLoadBalancingV2::LoadBalancer", "ALB")
    nlb = raw("AWS::ElasticLoadBalancingV2::LoadBalancer", "NLB", {"Type": "network"})
    http = raw("AWS::ElasticLoadBalancingV2::Listener", "Http", {
        "LoadBalancerArn": Reference("ALB"), "Port": 80, "Protocol": "HTTP",
        "DefaultActions": [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS",
                                                                   "StatusCode": "HTTP_301"}}]})
    https = raw("AWS::ElasticLoadBalancingV2::Listener", "Https", {
        "LoadBalancerArn": Reference("ALB"), "Port": "443", "Protocol": "HTTPS",
        "SslPolicy": "ELBSecurityPolicy-2016-08",
        "Certificates": [{"CertificateArn": Reference("Cert")}],
        "DefaultActions": [{"Type": "forward"}]})
    tcp = raw("AWS::ElasticLoadBalancingV2::Listener", "Tcp", {"LoadBalancerArn": Reference("NLB")})
    out = adapt_cloudformation([alb, nlb, http, https, tcp])
    h = only(out, LoadBalancerListener, "Http")
    assert (h.protocol, h.port, h.redirects_to_https) == ("HTTP", 80, True)
    s = only(out, LoadBalancerListener, "Https")
    assert (s.protocol, s.port, s.ssl_policy, s.certificate) == (
        "HTTPS", 443, "ELBSecurityPolicy-2016-08", Reference("Cert"))
    assert only(out, LoadBalancerListener, "Tcp").protocol == "TCP"


@pytest.mark.parametrize(("type_", "props", "expected"), [
    ("AWS::Lambda::Function", {}, {"timeout_seconds": 3, "reserved_concurrency": None,
                                   "environment": None, "tracing_mode": None}),
    ("AWS::Lambda::Function", {
        "Timeout": "30", "ReservedConcurrentExecutions": 10, "Runtime": "nodejs20.x",
        "Environment": {"Variables": {"API_KEY": "abc"}}, "KmsKeyArn": Reference("K", "Arn"),
        "TracingConfig": {"Mode": "Active"}, "DeadLetterConfig": {"TargetArn": "arn:sqs"},
        "Role": Reference("R", "Arn"), "CodeSigningConfigArn": "arn:csc"},
     {"timeout_seconds": 30, "reserved_concurrency": 10, "runtime": "nodejs20.x",
      "environment": {"API_KEY": "abc"}, "env_kms_key": Reference("K", "Arn"),
      "tracing_mode": "Active", "dead_letter_target": "arn:sqs", "role": Reference("R", "Arn"),
      "code_signing_config": "arn:csc"}),
    ("AWS::Serverless::Function", {
        "Timeout": 60, "Tracing": "Active", "DeadLetterQueue": {"Type": "SQS",
                                                                "TargetArn": "arn:q"},
        "Environment": {"Variables": {"A": "b"}}, "Tags": {"team": "core"}},
     {"timeout_seconds": 60, "tracing_mode": "Active", "dead_letter_target": "arn:q",
      "environment": {"A": "b"}, "role": None}),
    ("AWS::Lambda::Function", {"Timeout": U, "Environment": U},
     {"timeout_seconds": U, "environment": U}),
])
def test_lambda(type_: str, props: dict[str, Any], expected: dict[str, Any]) -> None:
    fn = adapt1(LambdaFunction, raw(type_, "F", props))
    for field, want in expected.items():
        assert same(getattr(fn, field), want), field
    if "Timeout" in props:
        assert "timeout_seconds" in fn.field_locations and "environment" in fn.field_locations


def test_sam_function_tags_mapping() -> None:
    fn = adapt1(LambdaFunction, raw("AWS::Serverless::Function", "F", {"Tags": {"a": "b"}}))
    assert dict(fn.tags) == {"a": "b"}


def test_eks_cluster() -> None:
    eks = adapt1(EksCluster, raw("AWS::EKS::Cluster", "E"))
    assert (eks.endpoint_public_access, eks.public_access_cidrs, eks.log_types) == (
        True, ("0.0.0.0/0",), ())
    eks = adapt1(EksCluster, raw("AWS::EKS::Cluster", "E", {
        "Version": "1.29",
        "ResourcesVpcConfig": {"EndpointPublicAccess": "false", "EndpointPrivateAccess": True,
                               "PublicAccessCidrs": ["1.2.3.4/32"]},
        "Logging": {"ClusterLogging": {"EnabledTypes": [{"Type": "api"}, {"Type": "audit"}]}},
        "EncryptionConfig": [{"Resources": ["secrets"], "Provider": {"KeyArn": "arn:k"}}]}))
    assert (eks.endpoint_public_access, eks.endpoint_private_access, eks.version) == (
        False, True, "1.29")
    assert eks.log_types == ("api", "audit") and eks.secrets_encryption_key == "arn:k"
    assert eks.public_access_cidrs == ("1.2.3.4/32",)
    assert is_unknown(adapt1(EksCluster, raw("AWS::EKS::Cluster", "E", {"Logging": {
        "ClusterLogging": {"EnabledTypes": [{"Type": U}]}}})).log_types)


def test_ecr_repository() -> None:
    repo = adapt1(EcrRepository, raw("AWS::ECR::Repository", "R"))
    assert (repo.scan_on_push, repo.tag_mutability, repo.encryption_type, repo.policy) == (
        False, "MUTABLE", "AES256", None)
    repo = adapt1(EcrRepository, raw("AWS::ECR::Repository", "R", {
        "ImageScanningConfiguration": {"ScanOnPush": "true"}, "ImageTagMutability": "IMMUTABLE",
        "EncryptionConfiguration": {"EncryptionType": "KMS", "KmsKey": Reference("K")},
        "RepositoryPolicyText": {"Statement": [{"Effect": "Allow", "Principal": "*",
                                                "Action": "ecr:*"}]}}))
    assert (repo.scan_on_push, repo.tag_mutability, repo.encryption_type, repo.kms_key) == (
        True, "IMMUTABLE", "KMS", Reference("K"))
    assert isinstance(repo.policy, PolicyDocument)
    assert repo.field_locations["scan_on_push"] is not None


# --------------------------------------------------------------------------- robustness, speed

ODD: list[Any] = [U, Reference("Other", "Arn"), [], [U], [1, 2], {"a": U}, "text", 7, True,
                  {"Fn::GetAZs": ""}, ["a", {"b": U}]]
TYPES = ["AWS::S3::Bucket", "AWS::S3::BucketPolicy", "AWS::EC2::Volume", "AWS::EC2::Instance",
         "AWS::EC2::LaunchTemplate", "AWS::RDS::DBInstance", "AWS::RDS::DBCluster",
         "AWS::KMS::Key", "AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress",
         "AWS::EC2::SecurityGroupEgress", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy",
         "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group", "AWS::IAM::AccessKey",
         "AWS::IAM::UserPolicy", "AWS::CloudTrail::Trail", "AWS::Logs::LogGroup",
         "AWS::ElasticLoadBalancingV2::Listener", "AWS::Lambda::Function",
         "AWS::Serverless::Function", "AWS::EKS::Cluster", "AWS::ECR::Repository",
         "AWS::ElasticLoadBalancingV2::LoadBalancer"]
PROPS = ["BucketName", "BucketEncryption", "VersioningConfiguration",
         "PublicAccessBlockConfiguration", "LoggingConfiguration", "ObjectLockEnabled",
         "AccessControl", "Bucket", "PolicyDocument", "Encrypted", "KmsKeyId", "SnapshotId",
         "BlockDeviceMappings", "LaunchTemplate", "LaunchTemplateData", "NetworkInterfaces",
         "StorageEncrypted", "DBClusterIdentifier", "PubliclyAccessible",
         "BackupRetentionPeriod", "EngineMode", "KeyPolicy", "SecurityGroupIngress",
         "SecurityGroupEgress", "GroupId", "IpProtocol", "CidrIp", "Users", "Roles", "Groups",
         "Policies", "ManagedPolicyArns", "LoginProfile", "UserName", "RoleName",
         "AssumeRolePolicyDocument", "EventSelectors", "AdvancedEventSelectors",
         "DefaultActions", "Certificates", "LoadBalancerArn", "Protocol", "Environment",
         "Timeout", "Tracing", "DeadLetterQueue", "ResourcesVpcConfig", "Logging",
         "EncryptionConfig", "ImageScanningConfiguration", "RepositoryPolicyText", "Tags",
         "Type", "Status"]


@pytest.mark.parametrize("odd", ODD, ids=repr)
def test_odd_values_never_crash(odd: Any) -> None:
    raws = [raw(t, f"R{i}", {p: odd for p in PROPS}) for i, t in enumerate(TYPES)]
    out = adapt_cloudformation(raws)
    assert {r.native_type for r in out} >= {"AWS::S3::Bucket", "AWS::IAM::User",
                                            "AWS::Lambda::Function", "AWS::EKS::Cluster"}


def test_large_template_in_linear_time() -> None:
    def corpus(n: int) -> list[RawResource]:
        out: list[RawResource] = []
        for i in range(n // 2):
            out.append(raw("AWS::S3::Bucket", f"B{i}", {"BucketName": f"b-{i}"}))
            out.append(raw("AWS::S3::BucketPolicy", f"P{i}", {
                "Bucket": Reference(f"B{i}") if i % 2 else f"b-{i}", "PolicyDocument": ADMIN}))
        return out

    small, large = corpus(2_000), corpus(20_000)
    t0 = time.perf_counter()
    adapt_cloudformation(small)
    t1 = time.perf_counter()
    out = adapt_cloudformation(large)
    t2 = time.perf_counter()
    assert all(isinstance(r.policy, PolicyDocument) for r in out if isinstance(r, S3Bucket))
    assert t2 - t1 < 10 and (t2 - t1) < 25 * max(t1 - t0, 0.01)


# --------------------------------------------------------------------------- end to end


def test_end_to_end_template() -> None:
    from tutela.sources.cloudformation import load_cloudformation

    result = load_cloudformation(FIXTURES / "stack.yaml", root=FIXTURES)
    assert result.errors == ()
    out = {r.address: r for r in adapt_cloudformation(result.resources)}

    data = out["DataBucket"]
    assert isinstance(data, S3Bucket)
    assert data.encryption.enabled is True and is_unknown(data.encryption.algorithm)
    assert data.versioning is True and isinstance(data.policy, PolicyDocument)
    assert data.public_access_block == PublicAccessBlock(True, True, True, True)
    policy_loc = data.location_of("policy")
    assert policy_loc is not None and policy_loc.start_line > (data.location or policy_loc).end_line
    assert dict(data.tags) == {"classification": "ephi"}

    web = out["WebSecurityGroup"]
    assert isinstance(web, SecurityGroup) and not is_unknown(web.rules)
    assert [(r.direction, r.protocol, r.from_port) for r in web.rules] == [
        ("ingress", "tcp", 443), ("egress", "-1", None), ("ingress", "tcp", 22)]
    ssh = next(r for r in result.resources if r.address == "SshIngress")
    assert web.location_of("rules[2]") == ssh.location and "SshIngress" not in out

    user = out["CiUser"]
    assert isinstance(user, IamUser) and user.attached_policies == ("CiPolicy",)
    db = out["Database"]
    assert isinstance(db, DatabaseInstance) and db.storage_encryption.enabled is True
    assert db.backup_retention_days == 7 and db.publicly_accessible is False
    fn = out["Function"]
    assert isinstance(fn, LambdaFunction)
    assert fn.timeout_seconds == 30 and fn.tracing_mode == "Active"  # from SAM Globals
    assert out["Parameters.Env"].kind == "stack_parameter"
