"""Terraform AWS adapter: raw resources (HCL or plan shape) -> the normalized AWS model."""

from __future__ import annotations

import json
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
from tutela.sources.raw import RawResource
from tutela.sources.terraform.aws import adapt_terraform

FIXTURES = Path(__file__).parent / "fixtures" / "adapters"
R = TypeVar("R", bound=Resource)

_line = iter(range(1, 10**9, 100))


def raw(type_: str, name: str = "x", attrs: Mapping[str, Any] | None = None, *,
        module: str = "", key: str | None = None, source: str = "terraform",
        mode: str = "managed") -> RawResource:
    """A raw resource as the loader makes it; each top-level attribute gets its own line."""
    start = next(_line)
    attrs = dict(attrs or {})
    local = f"{type_}.{name}" + (f'["{key}"]' if key is not None else "")
    address = f"{module}.{local}" if module else local
    file = "main.tf" if not module else f"{module}.tf"
    locs = {k: Location(file, start + 1 + i, start + 1 + i) for i, k in enumerate(attrs)}
    return RawResource(address=address, type=type_, mode=mode, attributes=attrs,
                       location=Location(file, start, start + 50), source=source,
                       attribute_locations=locs, module=module, name=name)


def ref(target: str | RawResource, attribute: str | None = "id") -> Reference:
    return Reference(target.address if isinstance(target, RawResource) else target, attribute)


def only(resources: list[Resource], cls: type[R], address: str | None = None) -> R:
    found = [r for r in resources if isinstance(r, cls)
             and (address is None or r.address == address)]
    assert len(found) == 1, f"expected one {cls.__name__} {address or ''}, got {found}"
    return found[0]


def adapt1(cls: type[R], *raws: RawResource) -> R:
    return only(adapt_terraform(raws), cls, raws[0].address)


U = Unknown("var.x has no value")


# --------------------------------------------------------------------------- common fields


def test_common_fields_from_the_raw_resource() -> None:
    r = raw("aws_s3_bucket", "logs", {"bucket": "b", "tags": {"team": "core", "n": 1}},
            module="module.m", key="a")
    bucket = adapt1(S3Bucket, r)
    assert bucket.address == 'module.m.aws_s3_bucket.logs["a"]'
    assert (bucket.native_type, bucket.source, bucket.location) == ("aws_s3_bucket", "terraform",
                                                                   r.location)
    assert bucket.name == "logs" and bucket.region is None
    assert dict(bucket.tags) == {"team": "core", "n": "1"}


@pytest.mark.parametrize("tags", [U, {"team": U}, {"team": Reference("aws_x.y", "id")}])
def test_unknown_tags_make_the_tags_unknown(tags: Any) -> None:
    assert is_unknown(adapt1(S3Bucket, raw("aws_s3_bucket", attrs={"tags": tags})).tags)


def test_data_sources_and_unrecognised_types_yield_nothing() -> None:
    out = adapt_terraform([
        raw("aws_s3_bucket", mode="data", attrs={"bucket": "existing"}),
        raw("aws_route53_zone"), raw("random_id"),
    ])
    assert out == []


def test_plan_source_string_is_kept() -> None:
    bucket = adapt1(S3Bucket, raw("aws_s3_bucket", source="terraform-plan"))
    assert bucket.source == "terraform-plan"


# --------------------------------------------------------------------------- S3


def test_bucket_defaults_encryption_is_not_assumed() -> None:
    bucket = adapt1(S3Bucket, raw("aws_s3_bucket", attrs={"bucket": "b"}))
    assert bucket.encryption == Encryption(enabled=False)  # SSE-S3 by default is not a decision
    assert (bucket.versioning, bucket.mfa_delete, bucket.access_logging, bucket.object_lock) == (
        False, False, False, False)
    assert bucket.public_access_block is None and bucket.policy is None and bucket.acl is None
    assert bucket.bucket_name == "b"


SSE_KMS = [{"rule": [{"apply_server_side_encryption_by_default": [
    {"sse_algorithm": "aws:kms", "kms_master_key_id": Reference("aws_kms_key.k", "arn")}]}]}]


@pytest.mark.parametrize(("attrs", "field", "expected"), [
    ({"server_side_encryption_configuration": SSE_KMS}, "encryption",
     Encryption(True, "aws:kms", Reference("aws_kms_key.k", "arn"))),
    ({"versioning": [{"enabled": True, "mfa_delete": "true"}]}, "versioning", True),
    ({"versioning": [{"enabled": True, "mfa_delete": "true"}]}, "mfa_delete", True),
    ({"versioning": [{"enabled": False}]}, "versioning", False),
    ({"logging": [{"target_bucket": "log-bucket"}]}, "access_logging", True),
    ({"logging": [{"target_bucket": "log-bucket"}]}, "log_target", "log-bucket"),
    ({"logging": [{"target_bucket": Reference("aws_s3_bucket.logs", "id")}]}, "log_target",
     "aws_s3_bucket.logs"),
    ({"acl": "public-read"}, "acl", "public-read"),
    ({"grant": [{"uri": "http://acs.amazonaws.com/groups/global/AllUsers",
                 "permissions": ["READ"]}]}, "acl", "public-read"),
    ({"object_lock_enabled": True}, "object_lock", True),
    ({"object_lock_configuration": [{"object_lock_enabled": "Enabled"}]}, "object_lock", True),
])
def test_bucket_inline_legacy_blocks(attrs: dict[str, Any], field: str, expected: Any) -> None:
    bucket = adapt1(S3Bucket, raw("aws_s3_bucket", attrs=attrs))
    assert getattr(bucket, field) == expected
    attr = next(iter(attrs))
    assert bucket.field_locations[field] == raw_loc(bucket, attr, attrs)


def raw_loc(bucket: S3Bucket, attr: str, attrs: Mapping[str, Any]) -> Location:
    assert bucket.location is not None
    line = bucket.location.start_line + 1 + list(attrs).index(attr)
    return Location(bucket.location.file, line, line)


def test_bucket_inline_policy_json_string() -> None:
    doc = json.dumps({"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
                                     "Resource": "*"}]})
    bucket = adapt1(S3Bucket, raw("aws_s3_bucket", attrs={"policy": doc}))
    assert isinstance(bucket.policy, PolicyDocument)
    assert bucket.policy.statements[0].principal_is_public


def companion(kind: str, bucket: Any, attrs: Mapping[str, Any] | None = None, *,
              module: str = "", key: str | None = None, name: str = "c") -> RawResource:
    return raw(kind, name, {"bucket": bucket, **(attrs or {})}, module=module, key=key)


COMPANIONS: list[tuple[str, dict[str, Any], str, Any]] = [
    ("aws_s3_bucket_server_side_encryption_configuration",
     {"rule": SSE_KMS[0]["rule"]}, "encryption",
     Encryption(True, "aws:kms", Reference("aws_kms_key.k", "arn"))),
    ("aws_s3_bucket_versioning", {"versioning_configuration": [{"status": "Enabled"}]},
     "versioning", True),
    ("aws_s3_bucket_versioning",
     {"versioning_configuration": [{"status": "Suspended", "mfa_delete": "Enabled"}]},
     "mfa_delete", True),
    ("aws_s3_bucket_versioning", {"versioning_configuration": [{"status": "Suspended"}]},
     "versioning", False),
    ("aws_s3_bucket_public_access_block",
     {"block_public_acls": True, "block_public_policy": True, "ignore_public_acls": "true"},
     "public_access_block", PublicAccessBlock(True, True, True, False)),
    ("aws_s3_bucket_logging", {"target_bucket": "logs", "target_prefix": "x/"},
     "access_logging", True),
    ("aws_s3_bucket_policy", {"policy": json.dumps({"Statement": {"Effect": "Allow"}})},
     "policy", PolicyDocument),
    ("aws_s3_bucket_acl", {"acl": "private"}, "acl", "private"),
    ("aws_s3_bucket_acl", {"access_control_policy": [{"grant": [
        {"grantee": [{"uri": "http://acs.amazonaws.com/groups/global/AllUsers"}],
         "permission": "WRITE"}]}]}, "acl", "public-read-write"),
    ("aws_s3_bucket_object_lock_configuration", {"rule": []}, "object_lock", True),
]


def _check(value: Any, expected: Any) -> None:
    if isinstance(expected, type):
        assert isinstance(value, expected)
    else:
        assert value == expected


@pytest.mark.parametrize(("kind", "attrs", "field", "expected"), COMPANIONS)
@pytest.mark.parametrize(("module", "key", "by"), [
    ("", None, "id"), ("", None, "bucket"), ("", None, "name"),
    ("module.m", None, "id"), ('module.m["a"]', "x", "id"), ("", "x", "name"),
])
def test_companions_fold_into_their_bucket(kind: str, attrs: dict[str, Any], field: str,
                                           expected: Any, module: str, key: str | None,
                                           by: str) -> None:
    bucket = raw("aws_s3_bucket", "b", {"bucket": f"bucket-{key}"}, module=module, key=key)
    pointer: Any = f"bucket-{key}" if by == "name" else ref(bucket, by)
    comp = companion(kind, pointer, attrs, module=module, key=key)
    other = raw("aws_s3_bucket", "other", {"bucket": "other"}, module=module)
    out = adapt_terraform([comp, bucket, other])  # companion first: order must not matter
    got = only(out, S3Bucket, bucket.address)
    _check(getattr(got, field), expected)
    # The finding points at the companion, as users asked.
    loc = got.field_locations[field]
    assert comp.location.start_line <= loc.start_line <= comp.location.end_line
    assert loc.file == comp.location.file
    # ...and only that bucket is affected.
    untouched = only(out, S3Bucket, other.address)
    assert getattr(untouched, field) == getattr(S3Bucket(address="", native_type="",
                                                         source=""), field)


def test_companion_overrides_the_legacy_inline_block() -> None:
    bucket = raw("aws_s3_bucket", "b", {"versioning": [{"enabled": False}]})
    comp = companion("aws_s3_bucket_versioning", ref(bucket),
                     {"versioning_configuration": [{"status": "Enabled"}]})
    assert adapt1(S3Bucket, bucket, comp).versioning is True


def test_companion_for_a_bucket_outside_the_scan_is_ignored() -> None:
    bucket = raw("aws_s3_bucket", "b", {"bucket": "mine"})
    out = adapt_terraform([
        bucket,
        companion("aws_s3_bucket_versioning", "someone-elses",
                  {"versioning_configuration": [{"status": "Enabled"}]}),
        companion("aws_s3_bucket_policy", Reference("data.aws_s3_bucket.e", "id"),
                  {"policy": "{}"}, name="p"),
    ])
    got = only(out, S3Bucket)
    assert got.versioning is False and got.policy is None


def test_companion_with_unknown_bucket_makes_the_field_unknown_in_its_module() -> None:
    plain = raw("aws_s3_bucket", "plain", {"bucket": "p"}, module="module.m")
    inline = raw("aws_s3_bucket", "inline", {"server_side_encryption_configuration": SSE_KMS},
                 module="module.m")
    own = raw("aws_s3_bucket", "own", {"bucket": "o"}, module="module.m")
    own_sse = companion("aws_s3_bucket_server_side_encryption_configuration", ref(own),
                        {"rule": SSE_KMS[0]["rule"]}, module="module.m", name="own")
    elsewhere = raw("aws_s3_bucket", "elsewhere", {"bucket": "e"})
    lost = companion("aws_s3_bucket_server_side_encryption_configuration", U,
                     {"rule": SSE_KMS[0]["rule"]}, module="module.m", name="lost")
    out = adapt_terraform([plain, inline, own, own_sse, elsewhere, lost])
    plain_enc = only(out, S3Bucket, plain.address).encryption
    assert is_unknown(plain_enc.enabled)
    assert lost.address in plain_enc.enabled.reason
    assert only(out, S3Bucket, plain.address).field_locations["encryption"] == lost.location
    assert only(out, S3Bucket, inline.address).encryption.enabled is True
    assert only(out, S3Bucket, own.address).encryption.enabled is True
    assert only(out, S3Bucket, elsewhere.address).encryption.enabled is False
    # other fields of the same buckets are untouched
    assert only(out, S3Bucket, plain.address).versioning is False


@pytest.mark.parametrize(("kind", "field"), [
    ("aws_s3_bucket_public_access_block", "public_access_block"),
    ("aws_s3_bucket_versioning", "versioning"),
    ("aws_s3_bucket_policy", "policy"),
    ("aws_s3_bucket_logging", "access_logging"),
])
def test_unknown_companion_unknown_form_per_field(kind: str, field: str) -> None:
    bucket = raw("aws_s3_bucket", "b")
    got = adapt1(S3Bucket, bucket, companion(kind, U))
    value = getattr(got, field)
    if field == "public_access_block":
        assert isinstance(value, PublicAccessBlock)
        assert is_unknown(value.block_public_acls) and is_unknown(value.restrict_public_buckets)
    else:
        assert is_unknown(value)


def test_literal_name_matching_nothing_may_be_a_bucket_with_unknown_name() -> None:
    unnamed = raw("aws_s3_bucket", "u", {"bucket": U})
    named = raw("aws_s3_bucket", "n", {"bucket": "known"})
    comp = companion("aws_s3_bucket_versioning", "prefix-logs",
                     {"versioning_configuration": [{"status": "Enabled"}]})
    out = adapt_terraform([unnamed, named, comp])
    assert is_unknown(only(out, S3Bucket, unnamed.address).versioning)
    assert only(out, S3Bucket, named.address).versioning is False


@pytest.mark.parametrize(("rule", "enabled", "algorithm"), [
    ([{"apply_server_side_encryption_by_default": [{"sse_algorithm": U}]}], True, U),
    (U, U, None),
    ([{"apply_server_side_encryption_by_default": U}], U, None),
    ([{"bucket_key_enabled": True}], False, None),
    ([], False, None),
])
def test_sse_unknowns(rule: Any, enabled: Any, algorithm: Any) -> None:
    bucket = raw("aws_s3_bucket", "b")
    comp = companion("aws_s3_bucket_server_side_encryption_configuration", ref(bucket),
                     {"rule": rule})
    enc = adapt1(S3Bucket, bucket, comp).encryption
    assert (enc.enabled is enabled) if not is_unknown(enabled) else is_unknown(enc.enabled)
    assert (enc.algorithm is algorithm) or (is_unknown(algorithm) and is_unknown(enc.algorithm))


def test_plan_computed_legacy_blocks_read_as_unset_but_hcl_unknowns_stay_unknown() -> None:
    attrs = {"bucket": "b", "server_side_encryption_configuration": U, "versioning": U,
             "policy": U, "acl": U}
    plan = adapt1(S3Bucket, raw("aws_s3_bucket", attrs=attrs, source="terraform-plan"))
    assert plan.encryption.enabled is False and plan.versioning is False
    assert plan.policy is None and plan.acl is None
    hcl = adapt1(S3Bucket, raw("aws_s3_bucket", attrs=attrs))
    assert is_unknown(hcl.encryption.enabled) and is_unknown(hcl.versioning)
    assert is_unknown(hcl.policy)


def test_plan_companion_still_decides_on_a_planned_bucket() -> None:
    bucket = raw("aws_s3_bucket", "b", {"bucket": "b", "versioning": U}, source="terraform-plan")
    comp = raw("aws_s3_bucket_versioning", "v", {
        "bucket": Reference(bucket.address, "id"),
        "versioning_configuration": [{"status": "Enabled", "mfa_delete": None}]},
        source="terraform-plan")
    assert adapt1(S3Bucket, bucket, comp).versioning is True


# --------------------------------------------------------------------------- EBS / EC2


@pytest.mark.parametrize(("attrs", "enabled", "key"), [
    ({}, False, None),
    ({"encrypted": True}, True, None),
    ({"encrypted": "true", "kms_key_id": Reference("aws_kms_key.k", "arn")}, True,
     Reference("aws_kms_key.k", "arn")),
    ({"encrypted": U}, U, None),
    ({"encrypted": Reference("aws_x.y", "z")}, U, None),
    ({"encrypted": [True]}, U, None),  # a list where a bool was expected
    ({"snapshot_id": "snap-1"}, U, None),  # inherits the snapshot's encryption
    ({"snapshot_id": "snap-1", "encrypted": False}, False, None),
])
def test_ebs_volume(attrs: dict[str, Any], enabled: Any, key: Any) -> None:
    vol = adapt1(EbsVolume, raw("aws_ebs_volume", attrs=attrs))
    if is_unknown(enabled):
        assert is_unknown(vol.encryption.enabled)
    else:
        assert vol.encryption.enabled is enabled
        assert vol.encryption.algorithm == ("aws:kms" if enabled else None)
    assert vol.encryption.kms_key == key


def test_ebs_encryption_by_default_covers_volumes_and_points_there() -> None:
    default = raw("aws_ebs_encryption_by_default", "d", {"enabled": True})
    key = raw("aws_ebs_default_kms_key", "k", {"key_arn": Reference("aws_kms_key.ebs", "arn")})
    plain = raw("aws_ebs_volume", "plain")
    off = raw("aws_ebs_volume", "off", {"encrypted": False})
    inst = raw("aws_instance", "i", {"ebs_block_device": [{"device_name": "/dev/sdf"}]})
    out = adapt_terraform([plain, off, inst, default, key])
    for address in (plain.address, off.address, f"{inst.address}/ebs_block_device[0]"):
        vol = only(out, EbsVolume, address)
        assert vol.encryption.enabled is True
        assert vol.encryption.kms_key == Reference("aws_kms_key.ebs", "arn")
        assert vol.field_locations["encryption"] == default.location
    root = only(out, Ec2Instance).root_volume_encryption
    assert root is not None and root.enabled is True


@pytest.mark.parametrize(("setting", "expected"), [(U, U), (False, False)])
def test_ebs_encryption_by_default_unknown_or_off(setting: Any, expected: Any) -> None:
    out = adapt_terraform([raw("aws_ebs_volume", "v"),
                           raw("aws_ebs_encryption_by_default", "d", {"enabled": setting})])
    enabled = only(out, EbsVolume).encryption.enabled
    assert is_unknown(enabled) if is_unknown(expected) else enabled is expected


@pytest.mark.parametrize(("attrs", "tokens"), [
    ({}, "optional"),
    ({"metadata_options": [{"http_tokens": "required"}]}, "required"),
    ({"metadata_options": [{"http_endpoint": "enabled"}]}, "optional"),
    ({"metadata_options": [{"http_tokens": U}]}, U),
    ({"metadata_options": U}, U),
])
def test_instance_metadata_options(attrs: dict[str, Any], tokens: Any) -> None:
    inst = adapt1(Ec2Instance, raw("aws_instance", attrs={"ami": "ami-1", **attrs}))
    got = inst.metadata_options.http_tokens
    assert is_unknown(got) if is_unknown(tokens) else got == tokens
    assert inst.image_id == "ami-1" and inst.is_template is False
    if attrs:
        assert "metadata_options" in inst.field_locations


def test_instance_takes_metadata_options_from_its_launch_template() -> None:
    lt = raw("aws_launch_template", "lt", {"metadata_options": [{"http_tokens": "required"}]})
    inst = raw("aws_instance", "i", {"launch_template": [{"id": ref(lt)}]})
    external = raw("aws_instance", "e", {"launch_template": [{"name": "shared-lt"}]})
    out = adapt_terraform([inst, external, lt])
    got = only(out, Ec2Instance, inst.address)
    assert got.metadata_options.http_tokens == "required"
    assert got.field_locations["metadata_options"] == lt.attribute_locations["metadata_options"]
    assert is_unknown(only(out, Ec2Instance, external.address).metadata_options.http_tokens)
    template = only(out, Ec2Instance, lt.address)
    assert template.is_template is True


def test_instance_block_devices_become_volumes() -> None:
    inst = raw("aws_instance", "i", {
        "root_block_device": [{"encrypted": True, "kms_key_id": "arn:k"}],
        "ebs_block_device": [{"device_name": "/dev/sdf"},
                             {"device_name": "/dev/sdg", "encrypted": U}],
        "associate_public_ip_address": True,
    })
    out = adapt_terraform([inst])
    got = only(out, Ec2Instance)
    assert got.root_volume_encryption == Encryption(True, "aws:kms", "arn:k")
    assert got.public_ip is True
    assert only(out, EbsVolume, f"{inst.address}/root_block_device[0]").encryption.enabled is True
    assert only(out, EbsVolume, f"{inst.address}/ebs_block_device[0]").encryption.enabled is False
    assert is_unknown(only(out, EbsVolume,
                           f"{inst.address}/ebs_block_device[1]").encryption.enabled)
    vol = only(out, EbsVolume, f"{inst.address}/ebs_block_device[0]")
    assert vol.location == inst.attribute_locations["ebs_block_device"]


def test_instance_without_root_block_device_has_no_root_encryption_declared() -> None:
    got = adapt1(Ec2Instance, raw("aws_instance"))
    assert got.root_volume_encryption is None and got.public_ip is False


def test_instance_public_ip_from_its_subnet() -> None:
    subnet = raw("aws_subnet", "pub", {"map_public_ip_on_launch": True})
    inst = raw("aws_instance", "i", {"subnet_id": ref(subnet)})
    got = adapt1(Ec2Instance, inst, subnet)
    assert got.public_ip is True
    assert got.field_locations["public_ip"] == subnet.attribute_locations[
        "map_public_ip_on_launch"]


def test_launch_template() -> None:
    lt = raw("aws_launch_template", "lt", {
        "image_id": "ami-2",
        "metadata_options": [{"http_tokens": "required", "http_endpoint": "disabled"}],
        "network_interfaces": [{"associate_public_ip_address": "true"}],
        "block_device_mappings": [{"device_name": "/dev/xvda", "ebs": [{"encrypted": "true"}]},
                                  {"device_name": "/dev/xvdb", "ebs": [{"encrypted": "false"}]},
                                  {"device_name": "/dev/xvdc", "virtual_name": "ephemeral0"}],
    })
    out = adapt_terraform([lt])
    got = only(out, Ec2Instance)
    assert got.is_template and got.public_ip is True and got.image_id == "ami-2"
    assert got.metadata_options.http_endpoint == "disabled"
    vols = [r for r in out if isinstance(r, EbsVolume)]
    assert [v.encryption.enabled for v in vols] == [True, False]


# --------------------------------------------------------------------------- RDS


def test_db_instance_defaults() -> None:
    db = adapt1(DatabaseInstance, raw("aws_db_instance", attrs={"engine": "postgres"}))
    assert db.storage_encryption == Encryption(enabled=False)
    assert (db.publicly_accessible, db.multi_az, db.deletion_protection,
            db.iam_authentication) == (False, False, False, False)
    assert db.auto_minor_version_upgrade is True
    assert db.backup_retention_days == 1  # RDS API default when Terraform sends nothing
    assert db.log_exports == () and db.member_of_cluster is False and db.is_cluster is False


@pytest.mark.parametrize(("attrs", "field", "expected"), [
    ({"storage_encrypted": True, "kms_key_id": Reference("aws_kms_key.db", "arn")},
     "storage_encryption", Encryption(True, "aws:kms", Reference("aws_kms_key.db", "arn"))),
    ({"storage_encrypted": U}, "storage_encryption", Encryption(U)),
    ({"snapshot_identifier": "snap"}, "storage_encryption", "unknown-enabled"),
    ({"publicly_accessible": True}, "publicly_accessible", True),
    ({"publicly_accessible": U}, "publicly_accessible", U),
    ({"backup_retention_period": 0}, "backup_retention_days", 0),
    ({"backup_retention_period": "14"}, "backup_retention_days", 14),
    ({"backup_retention_period": U}, "backup_retention_days", U),
    ({"multi_az": True}, "multi_az", True),
    ({"deletion_protection": True}, "deletion_protection", True),
    ({"iam_database_authentication_enabled": True}, "iam_authentication", True),
    ({"auto_minor_version_upgrade": False}, "auto_minor_version_upgrade", False),
    ({"enabled_cloudwatch_logs_exports": ["postgresql"]}, "log_exports", ("postgresql",)),
])
def test_db_instance_values(attrs: dict[str, Any], field: str, expected: Any) -> None:
    db = adapt1(DatabaseInstance, raw("aws_db_instance", attrs=attrs))
    got = getattr(db, field)
    unknown_enabled = (isinstance(expected, str) and expected == "unknown-enabled") or (
        isinstance(expected, Encryption) and is_unknown(expected.enabled))
    if is_unknown(expected):
        assert is_unknown(got)
    elif unknown_enabled:
        assert is_unknown(got.enabled)
    else:
        assert got == expected
    assert field in db.field_locations


def test_cluster_member_takes_storage_from_its_cluster() -> None:
    cluster = raw("aws_rds_cluster", "c", {"cluster_identifier": "aurora-1",
                                           "storage_encrypted": True,
                                           "backup_retention_period": 7})
    by_ref = raw("aws_db_instance", "a", {"cluster_identifier": ref(cluster)})
    by_name = raw("aws_db_instance", "b", {"cluster_identifier": "aurora-1"})
    outside = raw("aws_db_instance", "o", {"cluster_identifier": "elsewhere"})
    out = adapt_terraform([by_ref, by_name, outside, cluster])
    for member in (by_ref, by_name):
        db = only(out, DatabaseInstance, member.address)
        assert db.member_of_cluster is True
        assert db.storage_encryption.enabled is True and db.backup_retention_days == 7
        assert db.field_locations["storage_encryption"] == cluster.attribute_locations[
            "storage_encrypted"]
    assert is_unknown(only(out, DatabaseInstance, outside.address).storage_encryption.enabled)
    c = only(out, DatabaseInstance, cluster.address)
    assert c.is_cluster is True and c.engine_mode == "provisioned"


@pytest.mark.parametrize(("attrs", "enabled", "retention"), [
    ({}, False, 1),
    ({"engine_mode": "serverless"}, True, 1),
    ({"storage_encrypted": True, "backup_retention_period": 35}, True, 35),
    ({"snapshot_identifier": "s"}, U, 1),
])
def test_rds_cluster(attrs: dict[str, Any], enabled: Any, retention: int) -> None:
    db = adapt1(DatabaseInstance, raw("aws_rds_cluster", attrs=attrs))
    got = db.storage_encryption.enabled
    assert is_unknown(got) if is_unknown(enabled) else got is enabled
    assert db.backup_retention_days == retention


# --------------------------------------------------------------------------- KMS


def test_kms_key_defaults_and_values() -> None:
    default = adapt1(KmsKey, raw("aws_kms_key"))
    assert (default.rotation_enabled, default.key_spec, default.deletion_window_days,
            default.enabled, default.policy) == (False, "SYMMETRIC_DEFAULT", 30, True, None)
    key = adapt1(KmsKey, raw("aws_kms_key", attrs={
        "enable_key_rotation": True, "customer_master_key_spec": "RSA_2048",
        "deletion_window_in_days": 7, "is_enabled": False,
        "policy": json.dumps({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
                                             "Action": "kms:*", "Resource": "*"}]})}))
    assert (key.rotation_enabled, key.key_spec, key.deletion_window_days, key.enabled) == (
        True, "RSA_2048", 7, False)
    assert isinstance(key.policy, PolicyDocument) and key.policy.statements[0].principal_is_public
    assert set(key.field_locations) >= {"rotation_enabled", "key_spec", "policy"}


def test_kms_key_bad_policy_json_is_unknown_not_a_crash() -> None:
    key = adapt1(KmsKey, raw("aws_kms_key", attrs={"policy": "{not json",
                                                   "enable_key_rotation": U}))
    assert is_unknown(key.policy) and key.policy.reason.startswith("policy is not valid JSON")
    assert is_unknown(key.rotation_enabled)


# --------------------------------------------------------------------------- security groups


def test_security_group_rules_from_three_styles() -> None:
    sg = raw("aws_security_group", "web", {
        "vpc_id": Reference("aws_vpc.main", "id"),
        "ingress": [{"from_port": 22, "to_port": "22", "protocol": "6",
                     "cidr_blocks": ["0.0.0.0/0"], "description": "ssh"}],
        "egress": [{"from_port": 0, "to_port": 0, "protocol": "-1",
                    "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": ["::/0"]}],
    })
    legacy = raw("aws_security_group_rule", "db", {
        "type": "ingress", "security_group_id": ref(sg), "protocol": "tcp",
        "from_port": 5432, "to_port": 5432,
        "source_security_group_id": Reference("aws_security_group.app", "id")})
    vpc_rule = raw("aws_vpc_security_group_ingress_rule", "all", {
        "security_group_id": ref(sg), "ip_protocol": "-1", "cidr_ipv6": "::/0"})
    vpc_egress = raw("aws_vpc_security_group_egress_rule", "out", {
        "security_group_id": ref(sg), "ip_protocol": "udp", "from_port": 53, "to_port": 53,
        "cidr_ipv4": "10.0.0.0/8"})
    out = adapt_terraform([legacy, sg, vpc_rule, vpc_egress])
    assert [r for r in out if isinstance(r, SecurityGroup)] == [only(out, SecurityGroup)]
    group = only(out, SecurityGroup, sg.address)
    rules = group.rules
    assert not is_unknown(rules)
    assert [(r.direction, r.protocol, r.from_port, r.to_port) for r in rules] == [
        ("ingress", "tcp", 22, 22), ("egress", "-1", 0, 0), ("ingress", "tcp", 5432, 5432),
        ("ingress", "-1", None, None), ("egress", "udp", 53, 53)]
    assert [r.path for r in rules] == [f"rules[{i}]" for i in range(5)]
    assert rules[0].open_to_internet and rules[0].covers_port(22) and rules[0].description == "ssh"
    assert rules[2].source_security_groups == ("aws_security_group.app.id",)
    assert rules[3].ipv6_cidr_blocks == ("::/0",) and rules[3].covers_port(3389)
    assert rules[4].cidr_blocks == ("10.0.0.0/8",)
    locs = group.field_locations
    assert locs["rules[0]"] == sg.attribute_locations["ingress"]
    assert locs["rules[1]"] == sg.attribute_locations["egress"]
    assert locs["rules[2]"] == legacy.location
    assert locs["rules[3]"] == vpc_rule.location
    assert group.location_of("rules[4]") == vpc_egress.location
    assert group.vpc_id == Reference("aws_vpc.main", "id")


@pytest.mark.parametrize("module", ["", 'module.net["a"]'])
def test_security_group_rule_joined_in_modules(module: str) -> None:
    sg = raw("aws_security_group", "web", {}, module=module, key="k")
    rule = raw("aws_security_group_rule", "r", {
        "type": "ingress", "security_group_id": ref(sg), "protocol": "all",
        "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}, module=module, key="k")
    rules = adapt1(SecurityGroup, sg, rule).rules
    assert not is_unknown(rules) and rules[0].protocol == "-1" and rules[0].covers_port(22)


@pytest.mark.parametrize("group_id", [U, "sg-0123456789", Reference("data.aws_security_group.x",
                                                                     "id")])
def test_rule_whose_group_is_not_joinable_is_judged_on_its_own(group_id: Any) -> None:
    sg = raw("aws_security_group", "web")
    rule = raw("aws_security_group_rule", "r", {
        "type": "ingress", "security_group_id": group_id, "protocol": "tcp",
        "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]})
    out = adapt_terraform([sg, rule])
    assert only(out, SecurityGroup, sg.address).rules == ()
    alone = only(out, SecurityGroup, rule.address)
    assert alone.native_type == "aws_security_group_rule"
    assert not is_unknown(alone.rules)
    assert alone.rules[0].covers_port(22) and alone.rules[0].open_to_internet
    assert alone.location_of("rules[0]") == rule.location


@pytest.mark.parametrize(("ingress", "check"), [
    (U, lambda rules: is_unknown(rules)),
    ([{"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": U}],
     lambda rules: is_unknown(rules[0].cidr_blocks)),
    ([{"protocol": U, "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}],
     lambda rules: is_unknown(rules[0].protocol)),
    ([{"protocol": "tcp", "from_port": U, "to_port": 22, "cidr_blocks": []}],
     lambda rules: is_unknown(rules[0].from_port)),
    ([{"protocol": "tcp", "cidr_blocks": [Reference("aws_vpc.v", "cidr_block")]}],
     lambda rules: is_unknown(rules[0].cidr_blocks)),
    ([{"protocol": "tcp", "cidr_blocks": "not-a-list-but-text"}],
     lambda rules: rules[0].cidr_blocks == ("not-a-list-but-text",)),
    ([{"protocol": "tcp", "cidr_blocks": {"odd": 1}}],
     lambda rules: is_unknown(rules[0].cidr_blocks)),
])
def test_security_group_unknowns(ingress: Any, check: Any) -> None:
    assert check(adapt1(SecurityGroup, raw("aws_security_group", attrs={"ingress": ingress})).rules)


def test_cidr_reference_to_a_literal_in_the_scan_is_resolved() -> None:
    vpc = raw("aws_vpc", "v", {"cidr_block": "10.1.0.0/16"})
    sg = raw("aws_security_group", "s", {"ingress": [
        {"protocol": "tcp", "from_port": 1, "to_port": 2,
         "cidr_blocks": [Reference(vpc.address, "cidr_block")]}]})
    rules = adapt1(SecurityGroup, sg, vpc).rules
    assert not is_unknown(rules) and rules[0].cidr_blocks == ("10.1.0.0/16",)


def test_rule_with_unknown_type_is_not_evaluable() -> None:
    sg = raw("aws_security_group", "web")
    rule = raw("aws_security_group_rule", "r", {"type": U, "security_group_id": ref(sg),
                                                "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]})
    rules = adapt1(SecurityGroup, sg, rule).rules
    assert not is_unknown(rules) and is_unknown(rules[0].protocol)


def test_plan_computed_instance_settings_read_as_unset() -> None:
    inst = raw("aws_instance", "i", {
        "metadata_options": [{"http_tokens": U, "http_endpoint": U}],
        "root_block_device": [{"encrypted": U, "kms_key_id": U}],
        "ebs_block_device": [{"device_name": "/dev/sdf", "encrypted": U, "snapshot_id": U}],
        "associate_public_ip_address": U}, source="terraform-plan")
    out = adapt_terraform([inst])
    got = only(out, Ec2Instance)
    assert got.metadata_options.http_tokens == "optional" and got.public_ip is False
    assert got.root_volume_encryption == Encryption(False)
    assert all(v.encryption.enabled is False for v in out if isinstance(v, EbsVolume))
    hcl = adapt_terraform([raw("aws_instance", "i", dict(inst.attributes))])
    assert is_unknown(only(hcl, Ec2Instance).metadata_options.http_tokens)


def test_plan_computed_ingress_reads_as_none() -> None:
    sg = raw("aws_security_group", "web", {"ingress": U, "egress": U}, source="terraform-plan")
    assert adapt1(SecurityGroup, sg).rules == ()


# --------------------------------------------------------------------------- IAM

ADMIN = {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
# What the Terraform loader makes of `data.aws_iam_policy_document.x.json`.
DOC_JSON = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["*"], "Resource": ["*"]}]}, indent=2)


class Partial(Unknown):
    """Like the Terraform loader's PartialJSON: unknown text, known structure."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        super().__init__("JSON of a value that is not fully known")
        self.value = value


@pytest.mark.parametrize(("value", "admin"), [
    (json.dumps(ADMIN), True),  # inline JSON / heredoc
    (ADMIN, True),  # a jsonencode() the loader kept as a structure
    (DOC_JSON, True),  # aws_iam_policy_document JSON
    ({"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"],
                     "Resource": [Reference("aws_s3_bucket.b", "arn")]}]}, False),
    (Partial({"Statement": [{"Effect": "Allow", "Action": "*",
                             "Resource": Unknown("arn after apply")}]}), False),
])
def test_iam_policy_documents(value: Any, admin: bool) -> None:
    pol = adapt1(IamPolicy, raw("aws_iam_policy", attrs={"policy": value, "name": "p"}))
    assert isinstance(pol.document, PolicyDocument)
    st = pol.document.statements[0]
    assert ("*" in st.actions and "*" in st.resources) is admin
    assert pol.attached_to == "" and pol.field_locations["document"] is not None


@pytest.mark.parametrize("value", [
    U, Reference("data.aws_iam_policy_document.d", "json"), "{oops",
    {"Statement": [{"Effect": "Allow", "Action": U, "Resource": "*"}]},
    Partial({"Statement": [{"Effect": "Allow", "Action": Unknown("x"), "Resource": "*"}]}),
    ["not", "a", "policy"],
])
def test_iam_policy_documents_not_known(value: Any) -> None:
    pol = adapt1(IamPolicy, raw("aws_iam_policy", attrs={"policy": value}))
    assert is_unknown(pol.document)


def test_inline_policies_of_roles_users_groups() -> None:
    role = raw("aws_iam_role", "r", {
        "name": "app", "assume_role_policy": json.dumps({"Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
             "Action": "sts:AssumeRole"}]}),
        "inline_policy": [{"name": "inline", "policy": json.dumps(ADMIN)}, {}],
        "managed_policy_arns": ["arn:aws:iam::aws:policy/ReadOnlyAccess",
                                Reference("aws_iam_policy.p", "arn")],
    })
    role_policy = raw("aws_iam_role_policy", "rp", {"role": Reference(role.address, "name"),
                                                    "policy": json.dumps(ADMIN)})
    attach = raw("aws_iam_role_policy_attachment", "ra", {
        "role": Reference(role.address, "name"), "policy_arn": "arn:aws:iam::aws:policy/X"})
    group_policy = raw("aws_iam_group_policy", "gp", {"group": "devs", "policy": "{}"})
    out = adapt_terraform([role, role_policy, attach, group_policy])
    got = only(out, IamRole)
    assert got.role_name == "app" and isinstance(got.assume_role_policy, PolicyDocument)
    assert len(got.inline_policies) == 2
    assert got.managed_policy_arns == ("arn:aws:iam::aws:policy/ReadOnlyAccess",
                                       "aws_iam_policy.p.arn", "arn:aws:iam::aws:policy/X")
    inline = only(out, IamPolicy, f"{role.address}/inline_policy[0]")
    assert inline.attached_to == "role" and inline.principal_name == "app"
    assert inline.name == "inline" and isinstance(inline.document, PolicyDocument)
    assert only(out, IamPolicy, role_policy.address).attached_to == "role"
    assert only(out, IamPolicy, role_policy.address).principal_name == role.address
    assert only(out, IamPolicy, group_policy.address).attached_to == "group"
    assert only(out, IamPolicy, group_policy.address).principal_name == "devs"


@pytest.mark.parametrize("module", ["", "module.iam"])
def test_user_collects_attachments_inline_policies_password_and_keys(module: str) -> None:
    user = raw("aws_iam_user", "u", {"name": "alice"}, module=module)
    by_ref = Reference(user.address, "name")
    raws = [
        user,
        raw("aws_iam_user_policy_attachment", "a", {
            "user": by_ref, "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess"},
            module=module),
        raw("aws_iam_policy_attachment", "pa", {
            "users": ["alice", "bob"], "roles": [], "policy_arn": Reference("aws_iam_policy.p",
                                                                            "arn")},
            module=module),
        raw("aws_iam_user_policy", "inline", {"user": by_ref, "policy": json.dumps(ADMIN)},
            module=module),
        raw("aws_iam_user_login_profile", "lp", {"user": "alice"}, module=module),
        raw("aws_iam_access_key", "k", {"user": by_ref}, module=module),
        raw("aws_iam_user", "other", {"name": "carol"}, module=module),
    ]
    out = adapt_terraform(raws)
    got = only(out, IamUser, user.address)
    inline_address = raws[3].address
    assert got.user_name == "alice"
    assert got.attached_policies == ("arn:aws:iam::aws:policy/AdministratorAccess",
                                     "aws_iam_policy.p.arn", inline_address)
    assert got.inline_policies == (inline_address,)
    assert got.has_console_password is True
    assert got.access_keys == (raws[5].address,)
    assert got.field_locations["attached_policies"] == raws[1].location
    assert got.field_locations["has_console_password"] == raws[4].location
    carol = only(out, IamUser, raws[6].address)
    assert (carol.attached_policies, carol.has_console_password) == ((), False)
    key = only(out, AccessKey)
    assert key.user == by_ref and key.active is True
    assert only(out, IamPolicy, inline_address).attached_to == "user"


def test_login_profile_for_an_unknown_user_makes_passwords_unknown() -> None:
    user = raw("aws_iam_user", "u", {"name": "alice"})
    out = adapt_terraform([user, raw("aws_iam_user_login_profile", "lp", {"user": U})])
    assert is_unknown(only(out, IamUser).has_console_password)


def test_access_key_status() -> None:
    key = adapt1(AccessKey, raw("aws_iam_access_key", attrs={"user": "bob",
                                                             "status": "Inactive"}))
    assert key.active is False and key.user == "bob"


# --------------------------------------------------------------------------- the rest


def test_cloudtrail_defaults_and_values() -> None:
    trail = adapt1(CloudTrail, raw("aws_cloudtrail"))
    assert (trail.multi_region, trail.log_file_validation, trail.logging_enabled,
            trail.include_global_events, trail.management_events, trail.data_events) == (
        False, False, True, True, True, False)
    trail = adapt1(CloudTrail, raw("aws_cloudtrail", attrs={
        "is_multi_region_trail": True, "enable_log_file_validation": "true",
        "kms_key_id": Reference("aws_kms_key.t", "arn"), "enable_logging": False,
        "cloud_watch_logs_group_arn": "arn:logs", "s3_bucket_name": "trail-logs"}))
    assert (trail.multi_region, trail.log_file_validation, trail.logging_enabled) == (
        True, True, False)
    assert trail.kms_key == Reference("aws_kms_key.t", "arn") and trail.s3_bucket == "trail-logs"
    assert {"multi_region", "log_file_validation", "kms_key"} <= set(trail.field_locations)


@pytest.mark.parametrize(("attrs", "mgmt", "data"), [
    ({"event_selector": [{"include_management_events": False}]}, False, False),
    ({"event_selector": [{"data_resource": [{"type": "AWS::S3::Object",
                                             "values": ["arn:aws:s3"]}]}]}, True, True),
    ({"advanced_event_selector": [{"field_selector": [
        {"field": "eventCategory", "equals": ["Data"]}]}]}, False, True),
    ({"advanced_event_selector": [{"field_selector": [
        {"field": "eventCategory", "equals": ["Management"]}]}]}, True, False),
    ({"event_selector": U}, U, U),
    ({"advanced_event_selector": [{"field_selector": [
        {"field": "eventCategory", "equals": U}]}]}, U, U),
])
def test_cloudtrail_event_selectors(attrs: dict[str, Any], mgmt: Any, data: Any) -> None:
    trail = adapt1(CloudTrail, raw("aws_cloudtrail", attrs=attrs))
    for got, want in ((trail.management_events, mgmt), (trail.data_events, data)):
        assert is_unknown(got) if is_unknown(want) else got is want


@pytest.mark.parametrize(("attrs", "days", "key"), [
    ({}, 0, None),
    ({"retention_in_days": 365, "kms_key_id": "arn:k"}, 365, "arn:k"),
    ({"retention_in_days": U}, U, None),
])
def test_log_group(attrs: dict[str, Any], days: Any, key: Any) -> None:
    group = adapt1(LogGroup, raw("aws_cloudwatch_log_group", attrs=attrs))
    assert is_unknown(group.retention_days) if is_unknown(days) else group.retention_days == days
    assert group.kms_key == key
    if attrs:
        assert "retention_days" in group.field_locations


def test_listeners() -> None:
    alb = raw("aws_lb", "alb", {})
    nlb = raw("aws_lb", "nlb", {"load_balancer_type": "network"})
    redirect = raw("aws_lb_listener", "http", {
        "load_balancer_arn": ref(alb, "arn"), "port": 80, "protocol": "HTTP",
        "default_action": [{"type": "redirect", "redirect": [{"protocol": "HTTPS",
                                                              "port": "443"}]}]})
    https = raw("aws_alb_listener", "https", {
        "load_balancer_arn": ref(alb, "arn"), "port": "443", "protocol": "https",
        "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "certificate_arn": Reference("aws_acm_certificate.c", "arn"),
        "default_action": [{"type": "forward"}]})
    unset_alb = raw("aws_lb_listener", "u1", {"load_balancer_arn": ref(alb, "arn")})
    unset_nlb = raw("aws_lb_listener", "u2", {"load_balancer_arn": ref(nlb, "arn")})
    unset_far = raw("aws_lb_listener", "u3", {"load_balancer_arn": "arn:aws:elb:x"})
    out = adapt_terraform([redirect, https, unset_alb, unset_nlb, unset_far, alb, nlb])
    r = only(out, LoadBalancerListener, redirect.address)
    assert (r.protocol, r.port, r.redirects_to_https) == ("HTTP", 80, True)
    h = only(out, LoadBalancerListener, https.address)
    assert (h.protocol, h.port, h.redirects_to_https) == ("HTTPS", 443, False)
    assert h.certificate == Reference("aws_acm_certificate.c", "arn")
    assert h.ssl_policy == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert only(out, LoadBalancerListener, unset_alb.address).protocol == "HTTP"
    assert only(out, LoadBalancerListener, unset_nlb.address).protocol == "TCP"
    assert is_unknown(only(out, LoadBalancerListener, unset_far.address).protocol)
    assert "protocol" in r.field_locations and "redirects_to_https" in r.field_locations


def test_lambda_function() -> None:
    fn = adapt1(LambdaFunction, raw("aws_lambda_function"))
    assert (fn.timeout_seconds, fn.reserved_concurrency, fn.environment, fn.tracing_mode) == (
        3, None, None, None)
    fn = adapt1(LambdaFunction, raw("aws_lambda_function", attrs={
        "timeout": 900, "reserved_concurrent_executions": 5, "runtime": "python3.12",
        "environment": [{"variables": {"DB_PASSWORD": "hunter2", "HOST": U}}],
        "kms_key_arn": Reference("aws_kms_key.l", "arn"), "tracing_config": [{"mode": "Active"}],
        "dead_letter_config": [{"target_arn": Reference("aws_sqs_queue.dlq", "arn")}],
        "role": Reference("aws_iam_role.r", "arn"), "code_signing_config_arn": "arn:csc"}))
    assert (fn.timeout_seconds, fn.reserved_concurrency, fn.tracing_mode, fn.runtime) == (
        900, 5, "Active", "python3.12")
    assert fn.environment is not None and not is_unknown(fn.environment)
    assert fn.environment["DB_PASSWORD"] == "hunter2" and is_unknown(fn.environment["HOST"])
    assert fn.dead_letter_target == Reference("aws_sqs_queue.dlq", "arn")
    assert fn.role == Reference("aws_iam_role.r", "arn") and fn.code_signing_config == "arn:csc"
    assert {"timeout_seconds", "environment", "reserved_concurrency"} <= set(fn.field_locations)
    assert adapt1(LambdaFunction, raw("aws_lambda_function", attrs={
        "reserved_concurrent_executions": -1})).reserved_concurrency is None
    assert is_unknown(adapt1(LambdaFunction, raw("aws_lambda_function", attrs={
        "timeout": U, "environment": U})).timeout_seconds)


def test_eks_cluster() -> None:
    eks = adapt1(EksCluster, raw("aws_eks_cluster", attrs={"vpc_config": [{}]}))
    assert (eks.endpoint_public_access, eks.public_access_cidrs, eks.log_types) == (
        True, ("0.0.0.0/0",), ())
    eks = adapt1(EksCluster, raw("aws_eks_cluster", attrs={
        "enabled_cluster_log_types": ["api", "audit"], "version": "1.30",
        "vpc_config": [{"endpoint_public_access": False, "endpoint_private_access": True,
                        "public_access_cidrs": ["10.0.0.0/8"]}],
        "encryption_config": [{"resources": ["secrets"],
                               "provider": [{"key_arn": Reference("aws_kms_key.e", "arn")}]}]}))
    assert (eks.endpoint_public_access, eks.endpoint_private_access) == (False, True)
    assert eks.log_types == ("api", "audit") and eks.version == "1.30"
    assert eks.secrets_encryption_key == Reference("aws_kms_key.e", "arn")
    assert eks.public_access_cidrs == ("10.0.0.0/8",)


def test_ecr_repository_and_policy_join() -> None:
    repo = raw("aws_ecr_repository", "r", {"name": "app"})
    scanned = raw("aws_ecr_repository", "s", {
        "name": "svc", "image_tag_mutability": "IMMUTABLE",
        "image_scanning_configuration": [{"scan_on_push": True}],
        "encryption_configuration": [{"encryption_type": "KMS", "kms_key": "arn:k"}]})
    pol = raw("aws_ecr_repository_policy", "p", {
        "repository": Reference(repo.address, "name"),
        "policy": json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*",
                                             "Action": "ecr:*"}]})})
    out = adapt_terraform([repo, scanned, pol])
    r = only(out, EcrRepository, repo.address)
    assert (r.scan_on_push, r.tag_mutability, r.encryption_type) == (False, "MUTABLE", "AES256")
    assert isinstance(r.policy, PolicyDocument)
    assert r.field_locations["policy"] == pol.attribute_locations["policy"]
    s = only(out, EcrRepository, scanned.address)
    assert (s.scan_on_push, s.tag_mutability, s.encryption_type, s.kms_key) == (
        True, "IMMUTABLE", "KMS", "arn:k")
    assert s.policy is None
    unknown = adapt_terraform([repo, raw("aws_ecr_repository_policy", "p", {
        "repository": U, "policy": "{}"})])
    assert is_unknown(only(unknown, EcrRepository).policy)


# --------------------------------------------------------------------------- robustness, speed

ODD_VALUES: list[Any] = [U, Reference("aws_x.y", "z"), [], [U], [1, 2], {"a": U}, "text", 7,
                         True, None, [{"x": []}], ["a", {"b": U}]]
BUILT = ["aws_s3_bucket", "aws_ebs_volume", "aws_instance", "aws_launch_template",
         "aws_db_instance", "aws_rds_cluster", "aws_kms_key", "aws_security_group",
         "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_iam_policy",
         "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role",
         "aws_iam_user", "aws_iam_access_key", "aws_cloudtrail", "aws_cloudwatch_log_group",
         "aws_lb_listener", "aws_lambda_function", "aws_eks_cluster", "aws_ecr_repository"]
ATTRS = ["bucket", "policy", "rule", "versioning_configuration",
         "server_side_encryption_configuration", "versioning", "logging", "acl", "grant",
         "object_lock_configuration", "encrypted",
         "kms_key_id", "snapshot_id", "metadata_options", "root_block_device", "ebs_block_device",
         "launch_template", "block_device_mappings", "network_interfaces", "storage_encrypted",
         "cluster_identifier", "backup_retention_period", "ingress", "egress", "type",
         "security_group_id", "cidr_blocks", "protocol", "inline_policy", "managed_policy_arns",
         "user", "users", "event_selector", "advanced_event_selector", "default_action",
         "environment", "vpc_config", "encryption_config", "image_scanning_configuration",
         "tags", "name", "load_balancer_arn", "engine_mode", "assume_role_policy", "timeout",
         "reserved_concurrent_executions", "subnet_id", "status", "role"]
COMPANION_TYPES = [
    "aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_versioning",
    "aws_s3_bucket_public_access_block", "aws_s3_bucket_logging", "aws_s3_bucket_policy",
    "aws_s3_bucket_acl", "aws_s3_bucket_object_lock_configuration", "aws_ecr_repository_policy",
    "aws_iam_user_login_profile", "aws_iam_user_policy_attachment", "aws_iam_policy_attachment",
    "aws_iam_role_policy_attachment", "aws_ebs_encryption_by_default", "aws_ebs_default_kms_key",
]


@pytest.mark.parametrize("odd", ODD_VALUES, ids=repr)
@pytest.mark.parametrize("source", ["terraform", "terraform-plan"])
def test_odd_values_never_crash(odd: Any, source: str) -> None:
    raws = [raw(t, f"n{i}", {a: odd for a in ATTRS}, source=source)
            for i, t in enumerate(BUILT + COMPANION_TYPES)]
    out = adapt_terraform(raws)
    assert {r.native_type for r in out} >= set(BUILT) - {"aws_security_group_rule",
                                                         "aws_vpc_security_group_ingress_rule"}


def test_companions_join_at_scale() -> None:
    """Thousands of companions across modules all find their bucket (speed lives in bench/)."""
    def corpus(n: int) -> list[RawResource]:
        out: list[RawResource] = []
        for i in range(n // 4):
            b = raw("aws_s3_bucket", f"b{i}", {"bucket": f"bucket-{i}"}, module=f"module.m{i % 50}")
            out += [b,
                    raw("aws_s3_bucket_versioning", f"v{i}", {
                        "bucket": Reference(b.address, "id"),
                        "versioning_configuration": [{"status": "Enabled"}]}, module=b.module),
                    raw("aws_s3_bucket_server_side_encryption_configuration", f"s{i}", {
                        "bucket": f"bucket-{i}", "rule": SSE_KMS[0]["rule"]}, module=b.module),
                    raw("aws_security_group_rule", f"r{i}", {
                        "type": "ingress", "protocol": "tcp", "security_group_id": U,
                        "cidr_blocks": ["10.0.0.0/8"]}, module=b.module)]
        return out

    out = adapt_terraform(corpus(8_000))
    buckets = [r for r in out if isinstance(r, S3Bucket)]
    assert len(buckets) == 2_000
    assert all(b.versioning is True and b.encryption.enabled is True for b in buckets)


# --------------------------------------------------------------------------- end to end


def test_end_to_end_hcl_fixture() -> None:
    from tutela.sources.terraform import load_terraform

    root = FIXTURES / "terraform"
    result = load_terraform([root], root=root)
    assert result.errors == ()
    out = adapt_terraform(result.resources)
    by_address = {r.address: r for r in out}

    records = by_address["aws_s3_bucket.records"]
    assert isinstance(records, S3Bucket)
    assert records.encryption.enabled is True and records.encryption.algorithm == "aws:kms"
    assert records.encryption.kms_key == Reference("aws_kms_key.records", "arn")
    assert records.versioning is True
    assert records.location_of("encryption") is not None
    sse_loc = records.location_of("encryption")
    assert sse_loc is not None and sse_loc.file == "s3.tf" and sse_loc.start_line >= 8
    assert isinstance(records.policy, PolicyDocument)
    pab = records.public_access_block
    assert pab is not None and pab.block_public_acls is True

    for key in ("a", "b"):
        each = by_address[f'module.store["{key}"].aws_s3_bucket.this']
        assert isinstance(each, S3Bucket) and each.versioning is True
        assert each.location_of("versioning") is not None
    conditional = by_address["aws_s3_bucket.conditional"]
    assert isinstance(conditional, S3Bucket)
    assert conditional.encryption.enabled is True and is_unknown(conditional.encryption.algorithm)

    web = by_address["aws_security_group.web"]
    assert isinstance(web, SecurityGroup) and not is_unknown(web.rules)
    assert [(r.direction, r.from_port) for r in web.rules] == [
        ("ingress", 443), ("ingress", 22), ("ingress", 5432)]
    loc = web.location_of("rules[1]")
    assert loc is not None and loc.file == "network.tf"

    admin = by_address["aws_iam_policy.admin"]
    assert isinstance(admin, IamPolicy) and isinstance(admin.document, PolicyDocument)
    assert admin.document.statements[0].actions == ("*",)
    reader = by_address["aws_iam_policy.reader"]
    assert isinstance(reader, IamPolicy) and isinstance(reader.document, PolicyDocument)
    user = by_address["aws_iam_user.ci"]
    assert isinstance(user, IamUser) and user.attached_policies and user.has_console_password


def test_end_to_end_plan_fixture() -> None:
    from tutela.sources.terraform import load_plan

    root = FIXTURES / "plan"
    result = load_plan(root / "plan.json", root=root)
    assert result.errors == ()
    out = adapt_terraform(result.resources)
    buckets = {r.address: r for r in out if isinstance(r, S3Bucket)}
    bucket = buckets['module.store.aws_s3_bucket.this["logs"]']
    assert bucket.source == "terraform-plan"
    assert bucket.versioning is True  # folded from the companion planned in the same module
    assert bucket.encryption.enabled is False  # computed legacy block: not a decision
    assert bucket.policy is None
    plain = buckets["aws_s3_bucket.plain"]
    assert plain.versioning is False
