"""Terraform (HCL and plan JSON) AWS resources -> the normalized AWS model.

`adapt_terraform` takes the raw resources of one scan and returns model
resources. It works in three linear steps:

1. index the resources others point at (buckets, groups, users, roles,
   clusters, load balancers, launch templates, subnets, repositories) by
   address and by literal name, and note account-wide settings
   (`aws_ebs_encryption_by_default`, `aws_ebs_default_kms_key`);
2. fold the companion resources (`aws_s3_bucket_versioning`,
   `aws_security_group_rule`, `aws_iam_user_policy_attachment`...) into their
   targets through those indexes;
3. build one or more model resources per raw resource from the tables and
   builders below.

Defaults are the AWS provider v5 schema's (or, where the provider sends
nothing, the AWS API's) and are written next to each field. Values are never
guessed: Unknown stays Unknown, and a companion whose target is not known
makes the affected field of every bucket/repository/user of its module
Unknown when nothing else sets it (see `tutela.sources.adapting.Fold`).
Data sources (`mode == "data"`) and unrecognised types yield nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from tutela.model.aws import (
    NOT_ENCRYPTED,
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
    MetadataOptions,
    PublicAccessBlock,
    S3Bucket,
    SecurityGroup,
    SecurityGroupRule,
)
from tutela.model.base import Resource
from tutela.model.policy import PolicyDocument
from tutela.model.values import Location, Reference, Unknown
from tutela.sources.adapting import (
    FILL,
    Companion,
    F,
    Fold,
    Locations,
    Targets,
    View,
    acl_from_grants,
    as_flag,
    as_int,
    as_key,
    as_mapping,
    as_name,
    as_str,
    as_strs,
    coalesce,
    common,
    dig,
    event_flags,
    fold_companion,
    inherited,
    kms_encryption,
    listener_protocol,
    on_off,
    policy,
    present,
    protocol,
    read,
    redirects_to_https,
    unblock,
)
from tutela.sources.raw import RawResource

__all__ = ["PLAN_COMPUTED", "adapt_terraform"]

Builder = Callable[[RawResource, "_Scan"], list[Resource]]


def _policy(value: Any, default: Any = None, what: str = "") -> Any:
    return policy(value)


# Optional+Computed attributes: in plan JSON they are "known after apply" when the
# configuration leaves them unset, so there an Unknown reads as unset (see View).
PLAN_COMPUTED: Mapping[str, frozenset[str]] = {
    "aws_s3_bucket": frozenset({
        "server_side_encryption_configuration", "versioning", "logging", "acl", "grant",
        "policy", "object_lock_configuration", "object_lock_enabled", "bucket",
    }),
    "aws_s3_bucket_versioning": frozenset({"versioning_configuration.mfa_delete"}),
    "aws_ebs_volume": frozenset({"encrypted", "kms_key_id", "snapshot_id"}),
    "aws_instance": frozenset({
        "metadata_options", "metadata_options.http_tokens", "metadata_options.http_endpoint",
        "root_block_device", "root_block_device.encrypted", "root_block_device.kms_key_id",
        "ebs_block_device", "associate_public_ip_address", "iam_instance_profile", "user_data",
    }),
    "aws_launch_template": frozenset({
        "metadata_options", "metadata_options.http_tokens", "metadata_options.http_endpoint",
    }),
    "aws_db_instance": frozenset({
        "backup_retention_period", "kms_key_id", "multi_az", "storage_encrypted", "engine",
        "enabled_cloudwatch_logs_exports",
    }),
    "aws_rds_cluster": frozenset({
        "backup_retention_period", "kms_key_id", "storage_encrypted", "engine_mode",
        "cluster_identifier", "enabled_cloudwatch_logs_exports",
    }),
    "aws_kms_key": frozenset({"policy", "customer_master_key_spec"}),
    "aws_security_group": frozenset({"ingress", "egress", "description"}),
    "aws_lb_listener": frozenset({"protocol", "ssl_policy"}),
    "aws_alb_listener": frozenset({"protocol", "ssl_policy"}),
    "aws_lambda_function": frozenset({"tracing_config", "tracing_config.mode"}),
    "aws_eks_cluster": frozenset({"version", "vpc_config.public_access_cidrs"}),
    "aws_iam_role": frozenset({"inline_policy", "managed_policy_arns", "name"}),
    "aws_ecr_repository": frozenset({"encryption_configuration"}),
}
# The same inside each declared block device (ebs_block_device, block_device_mappings.ebs).
_DEVICE_COMPUTED = frozenset({"encrypted", "kms_key_id", "snapshot_id"})

# Resources others point at: family -> (types, attribute holding the literal name).
_TARGET_TYPES: Mapping[str, tuple[str, str | None]] = {
    "aws_s3_bucket": ("bucket", "bucket"),
    "aws_security_group": ("group", None),
    "aws_iam_user": ("user", "name"),
    "aws_iam_role": ("role", "name"),
    "aws_rds_cluster": ("cluster", "cluster_identifier"),
    "aws_lb": ("lb", "name"),
    "aws_alb": ("lb", "name"),
    "aws_launch_template": ("template", "name"),
    "aws_subnet": ("subnet", None),
    "aws_ecr_repository": ("repository", "name"),
}


class _Scan:
    """What the build step needs to know about the whole scan."""

    def __init__(self) -> None:
        self.fold = Fold()
        self.targets: dict[str, Targets] = {f: Targets() for f, _ in _TARGET_TYPES.values()}
        self.ebs_default: tuple[bool | Unknown, Location] | None = None
        self.ebs_default_key: Reference | str | Unknown | None = None
        self.sg_rules: dict[str, list[SecurityGroupRule]] = {}
        self.joined: set[str] = set()
        self.by_address: dict[str, RawResource] = {}

    def view(self, raw: RawResource) -> View:
        return View(raw, PLAN_COMPUTED.get(raw.type, frozenset()))

    def target(self, family: str, value: Any, by: RawResource) -> RawResource | None:
        targets = self.targets[family]
        return targets.get(targets.resolve(value, by))


def adapt_terraform(raw: Sequence[RawResource]) -> list[Resource]:
    """Normalized AWS resources from the raw Terraform resources of one scan (HCL or plan)."""
    scan = _Scan()
    managed = [r for r in raw if r.mode != "data"]
    companions: list[RawResource] = []
    ebs_defaults: list[tuple[bool | Unknown, Location]] = []
    for r in managed:
        scan.by_address[r.address] = r
        entry = _TARGET_TYPES.get(r.type)
        if entry is not None:
            family, name_attr = entry
            name = scan.view(r).get(name_attr) if name_attr else None
            scan.targets[family].add(r, name)
        elif r.type in _FOLDERS:
            companions.append(r)
        elif r.type == "aws_ebs_encryption_by_default":
            ebs_defaults.append((as_flag(scan.view(r).get("enabled"), True, "enabled"), r.location))
        elif r.type == "aws_ebs_default_kms_key":
            scan.ebs_default_key = as_key(scan.view(r).get("key_arn"))
    scan.ebs_default = _combine_defaults(ebs_defaults)
    for r in companions:
        _FOLDERS[r.type](r, scan)
    out: list[Resource] = []
    for r in managed:
        builder = _BUILDERS.get(r.type)
        if builder is not None:
            out.extend(builder(r, scan))
    return out


def _combine_defaults(
    found: list[tuple[bool | Unknown, Location]],
) -> tuple[bool | Unknown, Location] | None:
    """Account-level EBS default encryption (regions are not modelled: all must agree)."""
    if not found:
        return None
    flags = [f for f, _ in found]
    for flag in flags:
        if isinstance(flag, Unknown):
            return flag, found[0][1]
    if all(flags):
        return True, found[0][1]
    if any(flags):
        return Unknown("EBS default encryption differs between providers/regions"), found[0][1]
    return None


def _model(cls: type[Resource], raw: RawResource, view: View, locs: Locations,
           fields: Mapping[str, Any]) -> Resource:
    return cls(**common(raw, view.get("tags")), **fields, field_locations=locs.freeze())


# --------------------------------------------------------------------------- tables

_KMS = {
    "rotation_enabled": F("enable_key_rotation", as_flag, False),
    "key_spec": F("customer_master_key_spec", as_str, "SYMMETRIC_DEFAULT", alt="key_spec"),
    "deletion_window_days": F("deletion_window_in_days", as_int, 30),
    "policy": F("policy", _policy),
    "enabled": F("is_enabled", as_flag, True),
}
_TRAIL = {
    "multi_region": F("is_multi_region_trail", as_flag, False),
    "log_file_validation": F("enable_log_file_validation", as_flag, False),
    "kms_key": F("kms_key_id", as_key),
    "logging_enabled": F("enable_logging", as_flag, True),
    "include_global_events": F("include_global_service_events", as_flag, True),
    "cloudwatch_logs_group": F("cloud_watch_logs_group_arn", as_key),
    "s3_bucket": F("s3_bucket_name", as_key),
}
_LOG_GROUP = {
    "retention_days": F("retention_in_days", as_int, 0),  # 0: never expire
    "kms_key": F("kms_key_id", as_key),
}
_LISTENER = {
    "port": F("port", as_int),
    "ssl_policy": F("ssl_policy", as_str),
    "certificate": F("certificate_arn", as_key),
}
_LAMBDA = {
    "timeout_seconds": F("timeout", as_int, 3),
    "env_kms_key": F("kms_key_arn", as_key),
    "tracing_mode": F("tracing_config.mode", as_str),
    "dead_letter_target": F("dead_letter_config.target_arn", as_key),
    "role": F("role", as_key),
    "code_signing_config": F("code_signing_config_arn", as_key),
    "runtime": F("runtime", as_str),
}
_EKS = {
    "log_types": F("enabled_cluster_log_types", as_strs, ()),
    "endpoint_public_access": F("vpc_config.endpoint_public_access", as_flag, True),
    "endpoint_private_access": F("vpc_config.endpoint_private_access", as_flag, False),
    "public_access_cidrs": F("vpc_config.public_access_cidrs", as_strs, ("0.0.0.0/0",)),
    "secrets_encryption_key": F("encryption_config.provider.key_arn", as_key),
    "version": F("version", as_str),
}
_ECR = {
    "scan_on_push": F("image_scanning_configuration.scan_on_push", as_flag, False),
    "tag_mutability": F("image_tag_mutability", as_str, "MUTABLE"),
    "encryption_type": F("encryption_configuration.encryption_type", as_str, "AES256"),
    "kms_key": F("encryption_configuration.kms_key", as_key),
}
# Shared by aws_db_instance and aws_rds_cluster.
_DB = {
    "engine": F("engine", as_str),
    "deletion_protection": F("deletion_protection", as_flag, False),
    "iam_authentication": F("iam_database_authentication_enabled", as_flag, False),
    "log_exports": F("enabled_cloudwatch_logs_exports", as_strs, ()),
    # Unset: Terraform sends nothing and RDS applies its API default of 1 day
    # (CreateDBInstance / CreateDBCluster BackupRetentionPeriod "Default: 1").
    "backup_retention_days": F("backup_retention_period", as_int, 1),
}
_DB_INSTANCE = {
    **_DB,
    "publicly_accessible": F("publicly_accessible", as_flag, False),  # provider default false
    "multi_az": F("multi_az", as_flag, False),
    "auto_minor_version_upgrade": F("auto_minor_version_upgrade", as_flag, True),
}
_DB_CLUSTER = {**_DB, "engine_mode": F("engine_mode", as_str, "provisioned")}


def _simple(cls: type[Resource], table: Mapping[str, F],
            extra: Callable[[View, _Scan, dict[str, Any], Locations], None] | None = None,
            ) -> Builder:
    """A builder that reads `table` (and lets `extra` add the fields tables cannot express)."""

    def build(raw: RawResource, scan: _Scan) -> list[Resource]:
        view = scan.view(raw)
        locs = Locations(raw)
        fields = read(view, locs, table)
        if extra is not None:
            extra(view, scan, fields, locs)
        return [_model(cls, raw, view, locs, fields)]

    return build


# --------------------------------------------------------------------------- S3


def _sse(rules: list[Mapping[str, Any]] | Unknown) -> Encryption:
    """Default encryption from `rule` blocks (inline legacy block or companion resource).

    `sse_algorithm` is required and every allowed value encrypts, so a rule with
    an unknown algorithm (`cond ? "AES256" : "aws:kms"`) is still encrypted.
    """
    if isinstance(rules, Unknown):
        return Encryption(enabled=rules)
    for rule in rules:
        default = dig(rule, "apply_server_side_encryption_by_default")
        if isinstance(default, Unknown):
            return Encryption(enabled=default)
        if not present(default):
            continue
        algorithm = as_str(dig(default, "sse_algorithm"), None, "sse_algorithm")
        if algorithm is None:
            continue
        key = as_key(dig(default, "kms_master_key_id"))
        return Encryption(enabled=True, algorithm=algorithm, kms_key=key)
    return NOT_ENCRYPTED


def _pab(view: View) -> Mapping[str, Any]:
    return {"public_access_block": PublicAccessBlock(
        block_public_acls=as_flag(view.get("block_public_acls"), False, "block_public_acls"),
        block_public_policy=as_flag(view.get("block_public_policy"), False, "block_public_policy"),
        ignore_public_acls=as_flag(view.get("ignore_public_acls"), False, "ignore_public_acls"),
        restrict_public_buckets=as_flag(
            view.get("restrict_public_buckets"), False, "restrict_public_buckets"),
    )}


def _versioning(view: View) -> Mapping[str, Any]:
    return {
        "versioning": on_off(view.get("versioning_configuration.status"), False, "status"),
        "mfa_delete": on_off(view.get("versioning_configuration.mfa_delete"), False, "mfa_delete"),
    }


def _acl(view: View) -> Mapping[str, Any]:
    acl = view.get("acl")
    if acl is not None:
        return {"acl": as_str(acl, None, "acl")}
    grants = view.blocks("access_control_policy.grant")
    return {"acl": acl_from_grants(grants, "grantee.uri", "permission")}


_COMPANIONS: Mapping[str, Companion] = {
    "aws_s3_bucket_server_side_encryption_configuration": Companion(
        "bucket", "bucket", ("encryption",), lambda v: {"encryption": _sse(v.blocks("rule"))},
        "rule"),
    "aws_s3_bucket_versioning": Companion(
        "bucket", "bucket", ("versioning", "mfa_delete"), _versioning, "versioning_configuration"),
    "aws_s3_bucket_public_access_block": Companion(
        "bucket", "bucket", ("public_access_block",), _pab),
    "aws_s3_bucket_logging": Companion(
        "bucket", "bucket", ("access_logging", "log_target"),
        lambda v: {"access_logging": True, "log_target": as_name(v.get("target_bucket"))},
        "target_bucket"),
    "aws_s3_bucket_policy": Companion(
        "bucket", "bucket", ("policy",), lambda v: {"policy": policy(v.get("policy"))}, "policy"),
    "aws_s3_bucket_acl": Companion("bucket", "bucket", ("acl",), _acl),
    "aws_s3_bucket_object_lock_configuration": Companion(
        "bucket", "bucket", ("object_lock",),
        lambda v: {"object_lock": on_off(v.get("object_lock_enabled"), True, "object_lock")}),
    "aws_ecr_repository_policy": Companion(
        "repository", "repository", ("policy",),
        lambda v: {"policy": policy(v.get("policy"))}, "policy"),
}


def _bucket(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    name = as_str(view.get("bucket"), None, "bucket")
    fields: dict[str, Any] = {"bucket_name": name}
    explicit: list[str] = []

    def decided(field: str, attr: str, value: Any) -> None:
        fields[field] = value
        explicit.append(field)
        locs.attr(field, attr)

    # Legacy inline blocks (deprecated since provider v4, still honoured).
    if present(view.get("server_side_encryption_configuration")):
        decided("encryption", "server_side_encryption_configuration",
                _sse(view.blocks("server_side_encryption_configuration.rule")))
    if present(view.get("versioning")):
        decided("versioning", "versioning",
                as_flag(view.get("versioning.enabled"), False, "versioning.enabled"))
        decided("mfa_delete", "versioning",
                as_flag(view.get("versioning.mfa_delete"), False, "versioning.mfa_delete"))
    logging = view.get("logging")
    if present(logging):
        on = logging if isinstance(logging, Unknown) else True
        decided("access_logging", "logging", on)
        decided("log_target", "logging", as_name(view.get("logging.target_bucket")))
    if view.get("policy") is not None:
        decided("policy", "policy", policy(view.get("policy")))
    if view.get("acl") is not None:
        decided("acl", "acl", as_str(view.get("acl"), None, "acl"))
    elif present(view.get("grant")):
        decided("acl", "grant", acl_from_grants(view.blocks("grant"), "uri", "permissions"))
    if view.get("object_lock_enabled") is not None:
        decided("object_lock", "object_lock_enabled",
                as_flag(view.get("object_lock_enabled"), False, "object_lock_enabled"))
    elif present(view.get("object_lock_configuration")):
        decided("object_lock", "object_lock_configuration", on_off(
            view.get("object_lock_configuration.object_lock_enabled"), False,
            "object_lock_enabled"))
    locs.attr("bucket_name", "bucket")
    scan.fold.apply(raw, fields, locs, explicit, family="bucket",
                    unnamed=isinstance(name, Unknown), fill=FILL)
    return [_model(S3Bucket, raw, view, locs, fields)]


def _fold_companion(raw: RawResource, scan: _Scan) -> None:
    spec = _COMPANIONS[raw.type]
    fold_companion(spec, scan.view(raw), scan.targets[spec.family], scan.fold, what=spec.family)


def _ecr_repository(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, _ECR)
    name = view.get("name")
    scan.fold.apply(raw, fields, locs, family="repository", unnamed=isinstance(name, Unknown))
    return [_model(EcrRepository, raw, view, locs, fields)]


# --------------------------------------------------------------------------- EBS / EC2


def _volume_encryption(view: View, scan: _Scan, flag_path: str, key_path: str,
                       snapshot_paths: Sequence[str]) -> tuple[Encryption, Location | None]:
    """A volume's encryption and, when it comes from the account default, that setting's location.

    With EBS encryption by default on, AWS encrypts every new volume whatever
    `encrypted` says; unset keys use the account's default EBS key.
    """
    key = coalesce(as_key(view.get(key_path)), scan.ebs_default_key)
    by_default = scan.ebs_default
    explicit = as_flag(view.get(flag_path), False, flag_path)
    if explicit is True:
        return kms_encryption(True, key), None
    if by_default is not None:
        flag, loc = by_default
        return kms_encryption(flag, key), loc
    unknown = inherited(view, flag_path, snapshot_paths)
    if unknown is not None:
        return Encryption(enabled=unknown, kms_key=key), None
    return kms_encryption(explicit, key), None


def _ebs_volume(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    enc, default_loc = _volume_encryption(view, scan, "encrypted", "kms_key_id", ("snapshot_id",))
    if default_loc is not None:
        locs.set("encryption", default_loc)
    else:
        locs.attr("encryption", "encrypted", "kms_key_id", "snapshot_id")
    return [_model(EbsVolume, raw, view, locs, {"encryption": enc})]


def _device_volumes(raw: RawResource, scan: _Scan, name: str, devices: Any,
                    prefix: str = "") -> list[Resource]:
    """One EbsVolume per block device an instance or launch template declares."""
    if isinstance(devices, Unknown):
        return []  # not known how many; the instance itself is still judged
    out: list[Resource] = []
    for i, device in enumerate(devices):
        ebs = unblock(dig(device, prefix)) if prefix else device
        if not present(ebs):
            continue
        sub = View(RawResource(
            address=f"{raw.address}/{name}[{i}]", type=raw.type, mode=raw.mode,
            attributes=ebs if isinstance(ebs, Mapping) else {"encrypted": ebs},
            location=raw.location, source=raw.source, module=raw.module, name=raw.name,
        ), _DEVICE_COMPUTED)
        enc, default_loc = _volume_encryption(sub, scan, "encrypted", "kms_key_id",
                                              ("snapshot_id",))
        loc = raw.attribute_locations.get(f"{name}[{i}]") or raw.attribute_locations.get(
            name, raw.location)
        out.append(EbsVolume(
            address=sub.raw.address, native_type=raw.type, source=raw.source, location=loc,
            field_locations={"encryption": default_loc or loc}, name=raw.name or None,
            tags=common(raw, scan.view(raw).get("tags"))["tags"], encryption=enc,
        ))
    return out


def _metadata(view: View, prefix: str) -> MetadataOptions:
    return MetadataOptions(
        http_tokens=as_str(view.get(f"{prefix}.http_tokens"), "optional", "http_tokens"),
        http_endpoint=as_str(view.get(f"{prefix}.http_endpoint"), "enabled", "http_endpoint"),
    )


def _instance(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields: dict[str, Any] = {
        "image_id": as_str(view.get("ami"), None, "ami"),
        "iam_instance_profile": as_key(view.get("iam_instance_profile")),
        "user_data": as_str(coalesce(view.get("user_data"), view.get("user_data_base64")),
                            None, "user_data"),
    }
    locs.attr("image_id", "ami")
    locs.attr("iam_instance_profile", "iam_instance_profile")
    # Metadata options: the instance's own, else its launch template's.
    template_ref = coalesce(view.get("launch_template.id"), view.get("launch_template.name"))
    if present(view.get("metadata_options")) or template_ref is None:
        fields["metadata_options"] = _metadata(view, "metadata_options")
        locs.attr("metadata_options", "metadata_options")
    else:
        template = scan.target("template", template_ref, raw)
        if template is None:
            why = Unknown(f"metadata options come from launch template {_text(template_ref)}, "
                          "not in this scan")
            fields["metadata_options"] = MetadataOptions(http_tokens=why, http_endpoint=why)
            locs.attr("metadata_options", "launch_template")
        else:
            fields["metadata_options"] = _metadata(scan.view(template), "metadata_options")
            locs.set("metadata_options", template.attribute_locations.get(
                "metadata_options", template.location))
    # Public IP: explicit, else the subnet's map_public_ip_on_launch when it is in the scan.
    public = view.get("associate_public_ip_address")
    if public is None:
        subnet = scan.target("subnet", view.get("subnet_id"), raw)
        if subnet is not None:
            public = scan.view(subnet).get("map_public_ip_on_launch")
            locs.set("public_ip", subnet.attribute_locations.get(
                "map_public_ip_on_launch", subnet.location))
    else:
        locs.attr("public_ip", "associate_public_ip_address")
    fields["public_ip"] = as_flag(public, False, "associate_public_ip_address")
    # Root volume: declared, else only the account default says anything.
    volumes: list[Resource] = []
    root = view.get("root_block_device")
    if present(root):
        enc, default_loc = _volume_encryption(view, scan, "root_block_device.encrypted",
                                              "root_block_device.kms_key_id", ())
        fields["root_volume_encryption"] = enc
        locs.set("root_volume_encryption", default_loc)
        if default_loc is None:
            locs.attr("root_volume_encryption", "root_block_device")
        volumes += _device_volumes(raw, scan, "root_block_device", view.blocks("root_block_device"))
    elif scan.ebs_default is not None:
        flag, loc = scan.ebs_default
        fields["root_volume_encryption"] = kms_encryption(flag, scan.ebs_default_key)
        locs.set("root_volume_encryption", loc)
    volumes += _device_volumes(raw, scan, "ebs_block_device", view.blocks("ebs_block_device"))
    return [_model(Ec2Instance, raw, view, locs, fields), *volumes]


def _launch_template(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields: dict[str, Any] = {
        "is_template": True,
        "image_id": as_str(view.get("image_id"), None, "image_id"),
        "metadata_options": _metadata(view, "metadata_options"),
        "public_ip": as_flag(view.get("network_interfaces.associate_public_ip_address"), False,
                             "associate_public_ip_address"),
        "iam_instance_profile": as_key(coalesce(view.get("iam_instance_profile.arn"),
                                                 view.get("iam_instance_profile.name"))),
        "user_data": as_str(view.get("user_data"), None, "user_data"),
    }
    if scan.ebs_default is not None:
        flag, loc = scan.ebs_default
        fields["root_volume_encryption"] = kms_encryption(flag, scan.ebs_default_key)
        locs.set("root_volume_encryption", loc)
    for name, attr in (("image_id", "image_id"), ("metadata_options", "metadata_options"),
                       ("public_ip", "network_interfaces"),
                       ("iam_instance_profile", "iam_instance_profile")):
        locs.attr(name, attr)
    volumes = _device_volumes(raw, scan, "block_device_mappings",
                              view.blocks("block_device_mappings"), prefix="ebs")
    return [_model(Ec2Instance, raw, view, locs, fields), *volumes]


def _text(value: Any) -> str:
    if isinstance(value, Unknown):
        return "(not known before apply)"
    return str(value)


# --------------------------------------------------------------------------- RDS


def _storage(view: View, *, default: bool, inherit: Sequence[str]) -> Encryption:
    key = as_key(view.get("kms_key_id"))
    unknown = inherited(view, "storage_encrypted", inherit)
    if unknown is not None:
        return Encryption(enabled=unknown, kms_key=key)
    return kms_encryption(as_flag(view.get("storage_encrypted"), default, "storage_encrypted"), key)


def _cluster_storage(view: View) -> Encryption:
    # Aurora Serverless v1 clusters are always encrypted.
    mode = as_str(view.get("engine_mode"))
    serverless = isinstance(mode, str) and mode == "serverless"
    return _storage(view, default=serverless, inherit=(
        "snapshot_identifier", "replication_source_identifier", "restore_to_point_in_time"))


def _db_instance(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, _DB_INSTANCE)
    cluster_id = view.get("cluster_identifier")
    if cluster_id is None:
        fields["storage_encryption"] = _storage(
            view, default=False, inherit=("snapshot_identifier", "replicate_source_db"))
        locs.attr("storage_encryption", "storage_encrypted", "kms_key_id", "snapshot_identifier",
                  "replicate_source_db")
    else:
        # An Aurora instance: storage and backups are the cluster's.
        fields["member_of_cluster"] = True
        cluster = scan.target("cluster", cluster_id, raw)
        if cluster is None:
            why = Unknown(f"storage is configured on cluster {_text(cluster_id)}, "
                          "not in this scan")
            fields["storage_encryption"] = Encryption(enabled=why)
            locs.attr("storage_encryption", "cluster_identifier")
        else:
            cview = scan.view(cluster)
            fields["storage_encryption"] = _cluster_storage(cview)
            fields["backup_retention_days"] = as_int(
                cview.get("backup_retention_period"), 1, "backup_retention_period")
            known = cluster.attribute_locations
            locs.set("storage_encryption", known.get("storage_encrypted", cluster.location))
            locs.set("backup_retention_days",
                     known.get("backup_retention_period", cluster.location))
    return [_model(DatabaseInstance, raw, view, locs, fields)]


def _rds_cluster(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, _DB_CLUSTER)
    fields["is_cluster"] = True
    fields["storage_encryption"] = _cluster_storage(view)
    locs.attr("storage_encryption", "storage_encrypted", "kms_key_id", "snapshot_identifier",
              "engine_mode")
    return [_model(DatabaseInstance, raw, view, locs, fields)]


# --------------------------------------------------------------------------- security groups


def _cidrs(value: Any, scan: _Scan, what: str) -> tuple[str, ...] | Unknown:
    """CIDR lists; a reference to a literal attribute of a scanned resource is resolved."""
    if isinstance(value, list):
        return as_strs([_literal(v, scan) for v in value], (), what)
    return as_strs(_literal(value, scan), (), what)


def _literal(value: Any, scan: _Scan) -> Any:
    """`aws_vpc.main.cidr_block` -> that resource's literal value, when the scan has it."""
    if not isinstance(value, Reference) or value.attribute is None:
        return value
    target = scan.by_address.get(value.target)
    if target is not None:
        found = target.attributes.get(value.attribute)
        if isinstance(found, str):
            return found
    return value


def _rule(view: View, scan: _Scan, direction: Any, *, proto: str, v4: str, v6: str,
          groups: Sequence[str], single: bool = False, path: str = "") -> SecurityGroupRule:
    """A rule from an inline block, `aws_security_group_rule` or `vpc_security_group_*_rule`."""
    kind = as_str(direction, None, "type")
    ip_protocol: str | Unknown = protocol(view.get(proto), proto)
    if not isinstance(kind, str) or kind not in ("ingress", "egress"):
        # Neither ingress nor egress is known: judge it as ingress, but not evaluable.
        ip_protocol = Unknown(f"rule type {_text(kind)!s} is not known to be ingress or egress")
        kind = "ingress"
    sources: list[str] = []
    for attr in groups:
        found = as_strs(view.get(attr), (), attr, refs_as_names=True)
        if isinstance(found, tuple):
            sources.extend(found)
    if as_flag(view.get("self"), False, "self") is True:
        sources.append("self")
    description = as_str(view.get("description"), None, "description")
    v4_value = view.get(v4)
    v6_value = view.get(v6)
    if single:  # vpc_security_group_*_rule: one CIDR each
        v4_value = None if v4_value is None else [v4_value]
        v6_value = None if v6_value is None else [v6_value]
    return SecurityGroupRule(
        direction=kind,
        protocol=ip_protocol,
        from_port=as_int(view.get("from_port"), None, "from_port"),
        to_port=as_int(view.get("to_port"), None, "to_port"),
        cidr_blocks=_cidrs(v4_value, scan, v4),
        ipv6_cidr_blocks=_cidrs(v6_value, scan, v6),
        source_security_groups=tuple(sources),
        description=description if isinstance(description, str) else None,
        path=path,
    )


_RULE_STYLES: Mapping[str, Callable[[View, _Scan], SecurityGroupRule]] = {
    "aws_security_group_rule": lambda v, s: _rule(
        v, s, v.get("type"), proto="protocol", v4="cidr_blocks", v6="ipv6_cidr_blocks",
        groups=("source_security_group_id", "prefix_list_ids")),
    "aws_vpc_security_group_ingress_rule": lambda v, s: _rule(
        v, s, "ingress", proto="ip_protocol", v4="cidr_ipv4", v6="cidr_ipv6",
        groups=("referenced_security_group_id", "prefix_list_id"), single=True),
    "aws_vpc_security_group_egress_rule": lambda v, s: _rule(
        v, s, "egress", proto="ip_protocol", v4="cidr_ipv4", v6="cidr_ipv6",
        groups=("referenced_security_group_id", "prefix_list_id"), single=True),
}


def _fold_sg_rule(raw: RawResource, scan: _Scan) -> None:
    view = scan.view(raw)
    rule = _RULE_STYLES[raw.type](view, scan)
    scan.sg_rules[raw.address] = [rule]
    group = scan.targets["group"].resolve(view.get("security_group_id"), raw)
    if isinstance(group, str):
        scan.fold.add(group, "rules", rule, raw.location)
        scan.joined.add(raw.address)


def _sg_rule(raw: RawResource, scan: _Scan) -> list[Resource]:
    """A rule whose group is not in the scan (or not known) is judged on its own."""
    if raw.address in scan.joined:
        return []
    view = scan.view(raw)
    rules = tuple(_with_path(r, 0) for r in scan.sg_rules.get(raw.address, ()))
    locs = Locations(raw)
    locs.set("rules[0]", raw.location)
    locs.attr("vpc_id", "security_group_id")
    return [_model(SecurityGroup, raw, view, locs, {
        "rules": rules, "vpc_id": None,
        "description": f"rule of security group {_text(view.get('security_group_id'))}",
    })]


def _with_path(rule: SecurityGroupRule, index: int) -> SecurityGroupRule:
    return replace(rule, path=f"rules[{index}]")


def _security_group(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    rules: list[SecurityGroupRule] = []
    unknown: Unknown | None = None
    for direction in ("ingress", "egress"):
        found = view.blocks(direction)
        if isinstance(found, Unknown):
            unknown = found
            locs.attr("rules", direction)
            continue
        for i, block in enumerate(found):
            index = len(rules)
            sub = View(RawResource(raw.address, raw.type, raw.mode, block, raw.location,
                                   raw.source))
            rules.append(_rule(sub, scan, direction, proto="protocol", v4="cidr_blocks",
                               v6="ipv6_cidr_blocks", groups=("security_groups", "prefix_list_ids"),
                               path=f"rules[{index}]"))
            locs.indexed(f"rules[{index}]", direction, i)
    for rule, loc in scan.fold.added(raw.address, "rules"):
        index = len(rules)
        rules.append(_with_path(rule, index))
        locs.set(f"rules[{index}]", loc)
    fields: dict[str, Any] = {
        "rules": unknown if unknown is not None else tuple(rules),
        "vpc_id": as_key(view.get("vpc_id")),
        "description": as_str(view.get("description"), "Managed by Terraform", "description"),
    }
    locs.attr("vpc_id", "vpc_id")
    return [_model(SecurityGroup, raw, view, locs, fields)]


# --------------------------------------------------------------------------- IAM

_ATTACHED_TO = {"aws_iam_role_policy": "role", "aws_iam_user_policy": "user",
                "aws_iam_group_policy": "group", "aws_iam_policy": ""}


def _iam_policy(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    attached = _ATTACHED_TO[raw.type]
    locs.attr("document", "policy")
    fields = {
        "document": policy(view.get("policy")),
        "attached_to": attached,
        "principal_name": as_name(view.get(attached)) if attached else None,
    }
    return [_model(IamPolicy, raw, view, locs, fields)]


def _arn_text(value: Any, fallback: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Reference):
        return str(value)
    return fallback


def _fold_iam(raw: RawResource, scan: _Scan) -> None:
    """Attachments, inline policies, login profiles and keys, folded into users and roles."""
    view = scan.view(raw)
    users, roles = scan.targets["user"], scan.targets["role"]
    fold, loc = scan.fold, raw.location
    kind = raw.type
    if kind == "aws_iam_user_login_profile":
        user = users.resolve(view.get("user"), raw)
        if isinstance(user, str):
            fold.set(user, "has_console_password", True, loc)
        elif isinstance(user, Unknown):
            fold.unknown("user", raw.module, "has_console_password",
                         f"{raw.address} gives a password to a user not known before apply", loc)
        return
    if kind == "aws_iam_access_key":
        user = users.resolve(view.get("user"), raw)
        if isinstance(user, str):
            fold.add(user, "access_keys", raw.address, loc)
        return
    if kind == "aws_iam_user_policy":
        user = users.resolve(view.get("user"), raw)
        if isinstance(user, str):
            fold.add(user, "inline_policies", raw.address, loc)
        return
    if kind == "aws_iam_role_policy":
        role = roles.resolve(view.get("role"), raw)
        doc = policy(view.get("policy"))
        if isinstance(role, str) and isinstance(doc, PolicyDocument):
            fold.add(role, "inline_policies", doc, loc)
        return
    arn = _arn_text(view.get("policy_arn"), raw.address)
    if kind == "aws_iam_user_policy_attachment":
        user_refs: Iterable[Any] = [view.get("user")]
        role_refs: Iterable[Any] = []
    elif kind == "aws_iam_role_policy_attachment":
        user_refs, role_refs = [], [view.get("role")]
    else:  # aws_iam_policy_attachment
        user_refs = _items(view.get("users"))
        role_refs = _items(view.get("roles"))
    for ref in user_refs:
        user = users.resolve(ref, raw)
        if isinstance(user, str):
            fold.add(user, "attached_policies", arn, loc)
    for ref in role_refs:
        role = roles.resolve(ref, raw)
        if isinstance(role, str):
            fold.add(role, "managed_policy_arns", arn, loc)


def _items(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _role(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    role_name = as_str(view.get("name"), None, "name")
    out: list[Resource] = []
    docs: list[PolicyDocument] = []
    inline = view.blocks("inline_policy")
    for i, block in enumerate(inline if isinstance(inline, list) else []):
        if block.get("policy") is None:
            continue  # an empty inline_policy block only clears policies
        doc = policy(block.get("policy"))
        if isinstance(doc, PolicyDocument):
            docs.append(doc)
        loc = (raw.attribute_locations.get(f"inline_policy[{i}]")
               or raw.attribute_locations.get("inline_policy", raw.location))
        block_name = as_str(block.get("name"), None, "name")
        out.append(IamPolicy(
            address=f"{raw.address}/inline_policy[{i}]", native_type=raw.type,
            source=raw.source, location=loc, field_locations={"document": loc},
            name=block_name if isinstance(block_name, str) else None,
            tags=common(raw, view.get("tags"))["tags"], document=doc, attached_to="role",
            principal_name=role_name if role_name is not None else raw.address,
        ))
    docs.extend(d for d, _ in scan.fold.added(raw.address, "inline_policies"))
    managed = as_strs(view.get("managed_policy_arns"), (), "managed_policy_arns",
                      refs_as_names=True)
    if isinstance(managed, tuple):
        managed = managed + tuple(a for a, _ in scan.fold.added(raw.address, "managed_policy_arns"))
    locs.attr("assume_role_policy", "assume_role_policy")
    locs.attr("managed_policy_arns", "managed_policy_arns")
    locs.attr("inline_policies", "inline_policy")
    locs.attr("role_name", "name")
    fields = {
        "role_name": role_name,
        "assume_role_policy": policy(view.get("assume_role_policy")),
        "inline_policies": tuple(docs),
        "managed_policy_arns": managed,
    }
    return [_model(IamRole, raw, view, locs, fields), *out]


def _user(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fold = scan.fold
    attached = fold.added(raw.address, "attached_policies")
    inline = fold.added(raw.address, "inline_policies")
    keys = fold.added(raw.address, "access_keys")
    fields: dict[str, Any] = {
        "user_name": as_str(view.get("name"), None, "name"),
        "attached_policies": tuple(a for a, _ in (*attached, *inline)),
        "inline_policies": tuple(a for a, _ in inline),
        "access_keys": tuple(a for a, _ in keys),
        "has_console_password": False,
    }
    locs.attr("user_name", "name")
    for name, items in (("attached_policies", (*attached, *inline)),
                        ("inline_policies", inline), ("access_keys", keys)):
        if items:
            locs.set(name, items[0][1])
    fold.apply(raw, fields, locs, family="user")
    return [_model(IamUser, raw, view, locs, fields)]


def _access_key(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    locs.attr("user", "user")
    locs.attr("active", "status")
    return [_model(AccessKey, raw, view, locs, {
        "user": as_key(view.get("user")),
        "active": on_off(view.get("status"), True, "status"),
    })]


# --------------------------------------------------------------------------- the rest


def _trail_events(view: View, scan: _Scan, fields: dict[str, Any], locs: Locations) -> None:
    fields["management_events"], fields["data_events"] = event_flags(
        view.blocks("event_selector"), view.blocks("advanced_event_selector"),
        {"mgmt": "include_management_events", "data": "data_resource",
         "fields": "field_selector", "field": "field", "equals": "equals"})
    for name in ("management_events", "data_events"):
        locs.attr(name, "advanced_event_selector", "event_selector")


def _listener_extra(view: View, scan: _Scan, fields: dict[str, Any], locs: Locations) -> None:
    lb = scan.target("lb", view.get("load_balancer_arn"), view.raw)
    fields["protocol"] = listener_protocol(view.get("protocol"), lb, "load_balancer_type")
    locs.attr("protocol", "protocol")
    fields["redirects_to_https"] = redirects_to_https(
        view.blocks("default_action"), "type", "redirect.protocol")
    locs.attr("redirects_to_https", "default_action")


def _lambda_extra(view: View, scan: _Scan, fields: dict[str, Any], locs: Locations) -> None:
    reserved = as_int(view.get("reserved_concurrent_executions"), -1,
                      "reserved_concurrent_executions")
    unreserved = isinstance(reserved, int) and reserved == -1
    fields["reserved_concurrency"] = None if unreserved else reserved
    locs.attr("reserved_concurrency", "reserved_concurrent_executions")
    env = view.get("environment")
    if present(env):
        variables = view.get("environment.variables")
        fields["environment"] = env if isinstance(env, Unknown) else (
            coalesce(as_mapping(variables, "environment.variables"), {}))
        locs.attr("environment", "environment")


_FOLDERS: Mapping[str, Callable[[RawResource, _Scan], None]] = {
    **{t: _fold_companion for t in _COMPANIONS},
    **{t: _fold_sg_rule for t in _RULE_STYLES},
    **{t: _fold_iam for t in (
        "aws_iam_user_login_profile", "aws_iam_access_key", "aws_iam_user_policy",
        "aws_iam_role_policy", "aws_iam_user_policy_attachment",
        "aws_iam_role_policy_attachment", "aws_iam_policy_attachment")},
}

_BUILDERS: Mapping[str, Builder] = {
    "aws_s3_bucket": _bucket,
    "aws_ebs_volume": _ebs_volume,
    "aws_instance": _instance,
    "aws_launch_template": _launch_template,
    "aws_db_instance": _db_instance,
    "aws_rds_cluster": _rds_cluster,
    "aws_kms_key": _simple(KmsKey, _KMS),
    "aws_security_group": _security_group,
    **{t: _sg_rule for t in _RULE_STYLES},
    "aws_iam_policy": _iam_policy,
    "aws_iam_role_policy": _iam_policy,
    "aws_iam_user_policy": _iam_policy,
    "aws_iam_group_policy": _iam_policy,
    "aws_iam_role": _role,
    "aws_iam_user": _user,
    "aws_iam_access_key": _access_key,
    "aws_cloudtrail": _simple(CloudTrail, _TRAIL, _trail_events),
    "aws_cloudwatch_log_group": _simple(LogGroup, _LOG_GROUP),
    "aws_lb_listener": _simple(LoadBalancerListener, _LISTENER, _listener_extra),
    "aws_alb_listener": _simple(LoadBalancerListener, _LISTENER, _listener_extra),
    "aws_lambda_function": _simple(LambdaFunction, _LAMBDA, _lambda_extra),
    "aws_eks_cluster": _simple(EksCluster, _EKS),
    "aws_ecr_repository": _ecr_repository,
}
