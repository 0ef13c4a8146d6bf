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

Provider configurations (`mode == "provider"`, from the loader) become `AwsProvider`s
and give every regional resource its `region` (the configuration its `provider`
meta-argument names, else the one passed to or inherited by its module; Unknown when the
configuration sets none) and the provider's `default_tags` under its own tags.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from tutela.model.aws import (
    NOT_ENCRYPTED,
    AccessKey,
    AcmCertificate,
    ApiGatewayMethod,
    ApiGatewayStage,
    AwsProvider,
    BackupPlan,
    BackupRule,
    BackupVault,
    CloudFrontDistribution,
    CloudTrail,
    CodeBuildProject,
    ConfigRecorder,
    DatabaseInstance,
    DynamoDbTable,
    EbsVolume,
    Ec2Instance,
    EcrRepository,
    EfsFileSystem,
    EksCluster,
    ElastiCacheReplicationGroup,
    Encryption,
    EventRule,
    FlowLog,
    GuardDutyDetector,
    IamPolicy,
    IamRole,
    IamUser,
    KinesisStream,
    KmsKey,
    LambdaCodeSigningConfig,
    LambdaFunction,
    LambdaFunctionUrl,
    LambdaPermission,
    LoadBalancer,
    LoadBalancerListener,
    LogGroup,
    MetadataOptions,
    MetricAlarm,
    MetricFilter,
    NetworkAcl,
    NetworkAclRule,
    OpenSearchDomain,
    PublicAccessBlock,
    RedshiftCluster,
    RestoreTestingPlan,
    S3Bucket,
    SecretsManagerSecret,
    SecurityGroup,
    SecurityGroupRule,
    SnsTopic,
    SqsQueue,
    SsmParameter,
    StackParameter,
    Vpc,
    VpnConnection,
    VpnTunnel,
)
from tutela.model.base import SOURCE_TERRAFORM_PLAN, Resource
from tutela.model.policy import PolicyDocument
from tutela.model.values import Location, PartialString, Reference, Unknown
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
    as_policy,
    as_str,
    as_strs,
    as_upper,
    blocks,
    coalesce,
    common,
    database_requires_tls,
    dig,
    event_flags,
    fold_companion,
    inherited,
    kms_encryption,
    listener_protocol,
    on_off,
    plain,
    policy,
    present,
    protocol,
    public_by_tag,
    read,
    redirects_to_https,
    ref_text,
    s3_prefix,
    schedule_interval_days,
    tags,
    texts,
    unblock,
)
from tutela.sources.raw import RawResource

__all__ = ["PLAN_COMPUTED", "adapt_terraform"]

Builder = Callable[[RawResource, "_Scan"], list[Resource]]


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
        self.targets: dict[str, Targets] = {
            f: Targets() for f, _ in (*_TARGET_TYPES.values(), *_PACK_TARGETS.values())}
        self.ebs_default: tuple[bool | Unknown, Location] | None = None
        self.ebs_default_key: Reference | str | Unknown | None = None
        self.sg_rules: dict[str, list[SecurityGroupRule]] = {}
        self.joined: set[str] = set()
        self.by_address: dict[str, RawResource] = {}
        self.nacl_rules: dict[str, NetworkAclRule] = {}
        self.fold_features: dict[str, dict[str, tuple[bool | Unknown, Location]]] = {}
        self.unknown_features: dict[str, Unknown] = {}
        self.unknown_selections: dict[str, Unknown] = {}

    def view(self, raw: RawResource) -> View:
        computed = PLAN_COMPUTED.get(raw.type)
        if computed is None:
            computed = _PACK_COMPUTED.get(raw.type, frozenset())
        return View(raw, computed)

    def target(self, family: str, value: Any, by: RawResource) -> RawResource | None:
        targets = self.targets[family]
        return targets.get(targets.resolve(value, by))


def adapt_terraform(raw: Sequence[RawResource]) -> list[Resource]:
    """Normalized AWS resources from the raw Terraform resources of one scan (HCL or plan)."""
    scan = _Scan()
    managed = [r for r in raw if r.mode not in ("data", "provider")]
    providers = _Providers([r for r in raw if r.mode == "provider" and r.type == "aws"])
    companions: list[RawResource] = []
    ebs_defaults: list[tuple[bool | Unknown, Location]] = []
    for r in managed:
        scan.by_address[r.address] = r
        entry = _TARGET_TYPES.get(r.type) or _PACK_TARGETS.get(r.type)
        if entry is not None:
            family, name_attr = entry
            name = scan.view(r).get(name_attr) if name_attr else None
            scan.targets[family].add(r, name)
        elif r.type in _FOLDERS or r.type in _PACK_FOLDERS or r.type in _PACK_BUILD_AND_FOLD:
            companions.append(r)
        elif r.type == "aws_ebs_encryption_by_default":
            ebs_defaults.append((as_flag(scan.view(r).get("enabled"), True, "enabled"), r.location))
        elif r.type == "aws_ebs_default_kms_key":
            scan.ebs_default_key = as_key(scan.view(r).get("key_arn"))
    scan.ebs_default = _combine_defaults(ebs_defaults)
    for r in companions:
        for folder in _folders_of(r.type):
            folder(r, scan)
    out: list[Resource] = []
    for r in managed:
        builder = _BUILDERS.get(r.type) or _PACK_BUILDERS.get(r.type)
        if builder is not None:
            built = builder(r, scan)
            after = _PACK_AFTER.get(r.type)
            if after is not None:
                built = after(r, scan, built)
            out.extend(providers.place(r, built))
    out.extend(_aws_provider(p) for p in providers.configs())
    return _with_deployment_trails(out)


def _with_deployment_trails(out: list[Resource]) -> list[Resource]:
    """Buckets learn which trails their deployment (this root module) declares."""
    trails = tuple(r.address for r in out if isinstance(r, CloudTrail))
    return [replace(r, deployment_trails=trails) if isinstance(r, S3Bucket) else r
            for r in out]


def _folders_of(kind: str) -> list[Callable[[RawResource, _Scan], None]]:
    found = [f for f in (_FOLDERS.get(kind), _PACK_FOLDERS.get(kind),
                         _PACK_BUILD_AND_FOLD.get(kind)) if f is not None]
    if kind in _ATTACHMENT_TYPES:
        found.append(_fold_policy_attachment)
    return found


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
    "policy": F("policy", as_policy),
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
    "group_name": F("name", as_str),
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


# --------------------------------------------------------------------------- AWS rule pack
#
# Data stores, messaging, backup, edge and APIs, certificates, network ACLs and flow logs,
# monitoring and account-level services, build and deployment; provider regions and
# default tags. Same three steps as above: targets indexed in `_PACK_TARGETS`, companions
# folded by `_pack_fold`, models built by `_PACK_BUILDERS`.

_PACK_TARGETS: Mapping[str, tuple[str, str | None]] = {
    "aws_iam_policy": ("policy", "name"),
    "aws_vpc": ("vpc", None),
    "aws_default_vpc": ("vpc", None),
    "aws_network_acl": ("nacl", None),
    "aws_default_network_acl": ("nacl", None),
    "aws_secretsmanager_secret": ("secret", "name"),
    "aws_backup_plan": ("backup_plan", "name"),
    "aws_backup_vault": ("backup_vault", "name"),
    "aws_api_gateway_rest_api": ("rest_api", "name"),
    "aws_apigatewayv2_api": ("http_api", "name"),
    "aws_api_gateway_stage": ("stage", None),
    "aws_apigatewayv2_stage": ("stage", None),
    "aws_config_configuration_recorder": ("recorder", "name"),
    "aws_guardduty_detector": ("detector", None),
    "aws_redshift_cluster": ("redshift", "cluster_identifier"),
    "aws_db_parameter_group": ("db_params", "name"),
    "aws_rds_cluster_parameter_group": ("cluster_params", "name"),
    "aws_redshift_parameter_group": ("redshift_params", "name"),
    "aws_cloudfront_distribution": ("distribution", None),
    "aws_cloudwatch_event_rule": ("event_rule", "name"),
    "aws_kms_key": ("kms", None),
    "aws_lambda_function": ("function", "function_name"),
}

# Model types that are global (no region): IAM, CloudFront, the provider itself.
_GLOBAL_TYPES = frozenset({IamPolicy, IamRole, IamUser, AccessKey, CloudFrontDistribution,
                           AwsProvider})


class _Providers:
    """`provider "aws"` configurations (mode "provider" RawResources), to give every
    resource its region and the provider's `default_tags`.

    A resource uses the configuration its `provider` meta-argument names (default `aws`)
    in its module, else the one its caller passed (`providers = {...}`), else (default
    configurations only, as Terraform does) its caller's. An unset region or one not
    known before apply is Unknown; no configuration at all leaves the region unset.
    """

    def __init__(self, raws: Sequence[RawResource]) -> None:
        self.by_address: dict[str, list[RawResource]] = {}
        for r in raws:
            self.by_address.setdefault(r.address, []).append(r)
        self._cache: dict[tuple[str, str], tuple[Any, Any]] = {}

    def configs(self) -> list[RawResource]:
        return [r for found in self.by_address.values() for r in found
                if "passed_from" not in r.attributes]

    def settings(self, raw: RawResource) -> tuple[Any, Any]:
        """(region, default tags) for a resource; region None when nothing configures it."""
        name = raw.attributes.get("provider", "aws")
        if not isinstance(name, str):
            why = Unknown(f"{raw.address}: its provider configuration is not known")
            return why, None
        key = (raw.module, name)
        found = self._cache.get(key)
        if found is None:
            found = self._resolve(raw.module, name)
            self._cache[key] = found
        return found

    def _resolve(self, module: str, name: str) -> tuple[Any, Any]:
        seen: set[str] = set()
        while True:
            address = f"{module}.provider.{name}" if module else f"provider.{name}"
            if address in seen:
                return Unknown(f"provider {address} is passed in a cycle"), None
            seen.add(address)
            found = self.by_address.get(address)
            if found:
                if len(found) > 1:
                    return Unknown(f"{address} is configured more than once"), None
                config = found[0]
                passed = config.attributes.get("passed_from")
                if isinstance(passed, str):
                    cut = passed.rfind(".provider.")
                    module, name = ((passed[:cut], passed[cut + 10:]) if cut >= 0
                                    else ("", passed.removeprefix("provider.")))
                    continue
                return _provider_region(config), dig(config.attributes, "default_tags.tags")
            if not module:
                return None, None
            cut = module.rfind(".module.")
            module = module[:cut] if cut >= 0 else ""

    def place(self, raw: RawResource, built: list[Resource]) -> list[Resource]:
        own = raw.attributes.get("region")
        if raw.source == SOURCE_TERRAFORM_PLAN and isinstance(own, Unknown):
            own = None  # computed in plans (S3): read as unset
        region, default_tags = self.settings(raw)
        if own is not None:
            region = as_str(own, None, "region")
        default = tags(default_tags) if default_tags is not None else None
        out: list[Resource] = []
        for res in built:
            changes: dict[str, Any] = {}
            if region is not None and res.region is None and type(res) not in _GLOBAL_TYPES:
                changes["region"] = region
            if default is not None and (isinstance(default, Unknown) or default):
                changes["tags"] = _merge_tags(default, res.tags)
            out.append(replace(res, **changes) if changes else res)
        return out


def _provider_region(config: RawResource) -> Any:
    value = config.attributes.get("region")
    if value is None:
        return Unknown(f"{config.address} sets no region: it comes from the environment "
                       "(AWS_REGION, the profile) when Terraform runs")
    return as_str(value, None, "region")


def _merge_tags(default: Mapping[str, str] | Unknown,
                own: Mapping[str, str] | Unknown) -> Mapping[str, str] | Unknown:
    if isinstance(own, Unknown):
        return own
    if isinstance(default, Unknown):
        return Unknown(f"the provider's default_tags are not known ({default.reason})")
    return MappingProxyType({**default, **own})


def _aws_provider(raw: RawResource) -> Resource:
    view = View(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "alias": F("alias", as_str), "access_key": F("access_key", as_str),
        "secret_key": F("secret_key", as_str), "token": F("token", as_str),
    })
    locs.attr("region", "region")
    return AwsProvider(**common(raw, None), region=_provider_region(raw),
                       field_locations=locs.freeze(), **fields)


# --- small readers


def _target(scan: _Scan, family: str, value: Any, raw: RawResource) -> str | Unknown | None:
    return scan.targets[family].resolve(value, raw)


def _enabled_block(view: View, path: str, flag: str, default_when_present: bool = True
                   ) -> bool | Unknown:
    """A `{ enabled = ... }` style block: absent -> False, present -> its flag."""
    block = view.get(path)
    if not present(block):
        return False
    if isinstance(block, Unknown):
        return block
    return as_flag(view.get(f"{path}.{flag}"), default_when_present, flag)


# --- data stores and messaging


def _dynamodb(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    sse_on = as_flag(view.get("server_side_encryption.enabled"), False, "enabled")
    key = as_key(view.get("server_side_encryption.kms_key_arn"))
    if sse_on is True:
        enc = Encryption(enabled=True, algorithm="aws:kms", kms_key=key)
    elif isinstance(sse_on, Unknown):
        enc = Encryption(enabled=True, algorithm=sse_on, kms_key=sse_on)
    else:
        enc = Encryption(enabled=True, algorithm="AWS_OWNED")
    locs.attr("encryption", "server_side_encryption")
    replicas = view.blocks("replica")
    regions: tuple[str, ...] | Unknown
    if isinstance(replicas, Unknown):
        regions = replicas
    else:
        found = [as_str(b.get("region_name"), None, "region_name") for b in replicas]
        bad = next((r for r in found if isinstance(r, Unknown)), None)
        regions = bad if bad is not None else tuple(r for r in found if isinstance(r, str))
    locs.attr("replica_regions", "replica")
    fields = read(view, locs, {
        "point_in_time_recovery": F("point_in_time_recovery.enabled", as_flag, False),
        "deletion_protection": F("deletion_protection_enabled", as_flag, False),
    })
    return [_model(DynamoDbTable, raw, view, locs,
                   {**fields, "encryption": enc, "replica_regions": regions})]


def _elasticache(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    engine = as_str(view.get("engine"), "redis", "engine")
    valkey = isinstance(engine, str) and engine.lower() == "valkey"
    fields = read(view, locs, {
        # Valkey groups are encrypted at rest unless told otherwise (provider docs).
        "at_rest_encryption": F("at_rest_encryption_enabled", as_flag, valkey),
        "transit_encryption": F("transit_encryption_enabled", as_flag, False),
        "kms_key": F("kms_key_id", as_key),
        "automatic_failover": F("automatic_failover_enabled", as_flag, False),
        "snapshot_retention_days": F("snapshot_retention_limit", as_int, 0),
        "auth_token": F("auth_token", as_str),
        "auto_minor_version_upgrade": F("auto_minor_version_upgrade", as_flag, True),
    })
    token, groups = view.get("auth_token"), view.get("user_group_ids")
    fields["engine"] = engine
    fields["auth_token_set"] = (bool(present(token) or present(groups)))
    locs.attr("auth_token_set", "auth_token", "user_group_ids")
    return [_model(ElastiCacheReplicationGroup, raw, view, locs, fields)]


def _opensearch(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "encrypt_at_rest": F("encrypt_at_rest.enabled", as_flag, False),
        "kms_key": F("encrypt_at_rest.kms_key_id", as_key),
        "node_to_node_encryption": F("node_to_node_encryption.enabled", as_flag, False),
        "enforce_https": F("domain_endpoint_options.enforce_https", as_flag, False),
        # Unset, AWS keeps the policy that accepts TLS 1.0.
        "tls_policy": F("domain_endpoint_options.tls_security_policy", as_str,
                        "Policy-Min-TLS-1-0-2019-07"),
        "access_policy": F("access_policies", as_policy),
        "master_password": F("advanced_security_options.master_user_options"
                             ".master_user_password", as_str),
    })
    vpc = view.get("vpc_options")
    fields["in_vpc"] = vpc if isinstance(vpc, Unknown) else present(vpc)
    locs.attr("in_vpc", "vpc_options")
    fields["audit_logs"] = _audit_log_blocks(view.blocks("log_publishing_options"))
    locs.attr("audit_logs", "log_publishing_options")
    return [_model(OpenSearchDomain, raw, view, locs, fields)]


def _audit_log_blocks(found: list[Mapping[str, Any]] | Unknown) -> bool | Unknown:
    if isinstance(found, Unknown):
        return found
    for block in found:
        kind = as_str(block.get("log_type"), None, "log_type")
        if isinstance(kind, Unknown):
            return kind
        if kind == "AUDIT_LOGS":
            return as_flag(block.get("enabled"), True, "enabled")
    return False


def _redshift(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "publicly_accessible": F("publicly_accessible", as_flag, False),  # provider v5
        "automated_snapshot_retention_days": F("automated_snapshot_retention_period", as_int, 1),
        "master_password": F("master_password", as_str),
        "manages_master_password": F("manage_master_password", as_flag, False),
    })
    enabled = as_flag(view.get("encrypted"), False, "encrypted")  # provider v5 default
    fields["encryption"] = kms_encryption(enabled, as_key(view.get("kms_key_id")))
    locs.attr("encryption", "encrypted", "kms_key_id")
    logging = _enabled_block(view, "logging", "enable", False)
    folded = scan.fold.added(raw.address, "audit_logging")
    if folded:
        logging, loc = folded[-1]
        locs.set("audit_logging", loc)
    else:
        locs.attr("audit_logging", "logging")
    fields["audit_logging"] = logging
    fields["require_ssl"] = _group_parameter(
        scan, "redshift_params", view.get("cluster_parameter_group_name"), raw, "require_ssl",
        Unknown("the cluster uses its default parameter group, whose require_ssl depends on "
                "when the cluster was created"))
    locs.attr("require_ssl", "cluster_parameter_group_name")
    return [_model(RedshiftCluster, raw, view, locs, fields)]


def _parameters(scan: _Scan, family: str, pointer: Any, raw: RawResource
                ) -> Mapping[str, Any] | Unknown | None:
    """A parameter group's `parameter { name, value }` blocks by name; None when no group is
    named (the default group); Unknown when the group is not in the scan."""
    if pointer is None:
        return None
    target = _target(scan, family, pointer, raw)
    group = scan.targets[family].get(target)
    if group is None:
        if isinstance(target, Unknown):
            return target
        return Unknown(f"parameter group {_text(pointer)} is not in this scan")
    found = scan.view(group).blocks("parameter")
    if isinstance(found, Unknown):
        return found
    out: dict[str, Any] = {}
    for block in found:
        name = block.get("name")
        if isinstance(name, Unknown):
            return name
        if isinstance(name, str):
            out[name] = block.get("value")
    return out


def _group_parameter(scan: _Scan, family: str, pointer: Any, raw: RawResource, name: str,
                     default: Any) -> Any:
    params = _parameters(scan, family, pointer, raw)
    if params is None:
        return default
    if isinstance(params, Unknown):
        return params
    value = params.get(name)
    return False if value is None else as_flag(value, False, name)


def _simple_encryption(flag: str, key: str, default: bool = False) -> Callable[
        [View, _Scan, dict[str, Any], Locations], None]:
    def extra(view: View, scan: _Scan, fields: dict[str, Any], locs: Locations) -> None:
        fields["encryption"] = kms_encryption(as_flag(view.get(flag), default, flag),
                                              as_key(view.get(key)))
        locs.attr("encryption", flag, key)
    return extra


def _kinesis_extra(view: View, scan: _Scan, fields: dict[str, Any], locs: Locations) -> None:
    kind = as_upper(view.get("encryption_type"), "NONE", "encryption_type")
    on: bool | Unknown = kind if isinstance(kind, Unknown) else kind == "KMS"
    fields["encryption"] = kms_encryption(on, as_key(view.get("kms_key_id")))
    locs.attr("encryption", "encryption_type", "kms_key_id")


def _sqs_extra(view: View, scan: _Scan, fields: dict[str, Any], locs: Locations) -> None:
    key = as_key(view.get("kms_master_key_id"))
    if key is not None:
        fields["encryption"] = Encryption(enabled=True, algorithm="aws:kms", kms_key=key)
    else:
        # Queues are encrypted with SQS-owned keys unless this is turned off (AWS default
        # since 2022).
        managed = as_flag(view.get("sqs_managed_sse_enabled"), True, "sqs_managed_sse_enabled")
        fields["encryption"] = Encryption(enabled=managed, algorithm="SQS_MANAGED")
    locs.attr("encryption", "kms_master_key_id", "sqs_managed_sse_enabled")
    fields["policy"] = policy(view.get("policy"))
    locs.attr("policy", "policy")


def _secret(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {"kms_key": F("kms_key_id", as_key)})
    # The deprecated inline rotation (provider v4) and the rotation resource.
    inline = view.get("rotation_rules.automatically_after_days")
    fields["rotation_enabled"] = False
    fields["rotation_days"] = None
    if inline is not None:
        fields["rotation_enabled"] = True
        fields["rotation_days"] = as_int(inline, None, "automatically_after_days")
        locs.attr("rotation_enabled", "rotation_rules")
        locs.attr("rotation_days", "rotation_rules")
    scan.fold.apply(raw, fields, locs, family="secret",
                    unnamed=isinstance(view.get("name"), Unknown))
    return [_model(SecretsManagerSecret, raw, view, locs, fields)]


def _rotation_days(view: View, prefix: str) -> int | Unknown | None:
    days = view.get(f"{prefix}.automatically_after_days")
    if days is not None:
        return as_int(days, None, "automatically_after_days")
    return schedule_interval_days(view.get(f"{prefix}.schedule_expression"))


def _fold_rotation(raw: RawResource, scan: _Scan) -> None:
    view = scan.view(raw)
    fold_companion(Companion(
        "secret", "secret_id", ("rotation_enabled", "rotation_days"),
        lambda v: {"rotation_enabled": True, "rotation_days": _rotation_days(v, "rotation_rules")},
        "rotation_rules"), view, scan.targets["secret"], scan.fold, what="secret")


def _ssm_parameter(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "parameter_name": F("name", as_str),
        "parameter_type": F("type", as_str),
        "value": F("value", as_str, alt="insecure_value"),
        "kms_key": F("key_id", as_key),
    })
    return [_model(SsmParameter, raw, view, locs, fields)]


# --- backup


def _backup_rules(found: list[Mapping[str, Any]] | Unknown, keys: Mapping[str, str]
                  ) -> tuple[BackupRule, ...] | Unknown:
    if isinstance(found, Unknown):
        return found
    out: list[BackupRule] = []
    for i, block in enumerate(found):
        name = as_str(block.get(keys["name"]), f"rule {i}", keys["name"])
        copies = blocks(block.get(keys["copy"]), keys["copy"])
        destinations: tuple[str, ...] | Unknown
        if isinstance(copies, Unknown):
            destinations = copies
        else:
            dests = [ref_text(c.get(keys["dest"])) for c in copies]
            destinations = (tuple(t for t in dests if t is not None)
                            if all(t is not None for t in dests)
                            else Unknown("a copy destination is not known before apply"))
        out.append(BackupRule(
            name=name if isinstance(name, str) else f"rule {i}",
            schedule=as_str(block.get(keys["schedule"]), None, keys["schedule"]),
            retention_days=as_int(dig(block, keys["delete"]), None, keys["delete"]),
            copy_destinations=destinations,
            path=f"rules[{i}]",
        ))
    return tuple(out)


_TF_BACKUP_KEYS = {"name": "rule_name", "copy": "copy_action", "dest": "destination_vault_arn",
                   "schedule": "schedule", "delete": "lifecycle.delete_after"}


def _backup_plan(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    rules = _backup_rules(view.blocks("rule"), _TF_BACKUP_KEYS)
    locs.attr("rules", "rule")
    if isinstance(rules, tuple):
        for i in range(len(rules)):
            locs.indexed(f"rules[{i}]", "rule", i)
    selections: tuple[str, ...] | Unknown = tuple(
        str(s) for s, _ in scan.fold.added(raw.address, "selections"))
    if not selections and raw.module in scan.unknown_selections:
        selections = scan.unknown_selections[raw.module]
    fields: dict[str, Any] = {"rules": rules, "selections": selections}
    return [_model(BackupPlan, raw, view, locs, fields)]


def _fold_selection(raw: RawResource, scan: _Scan) -> None:
    view = scan.view(raw)
    plan = _target(scan, "backup_plan", view.get("plan_id"), raw)
    if isinstance(plan, str):
        scan.fold.add(plan, "selections", raw.address, raw.location)
    elif isinstance(plan, Unknown):
        scan.unknown_selections.setdefault(raw.module, Unknown(
            f"{raw.address} selects resources for a plan not known before apply"))


def _backup_vault(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields: dict[str, Any] = read(view, locs, {"kms_key": F("kms_key_arn", as_key)})
    fields["locked"] = False
    fields["notification_events"] = ()
    scan.fold.apply(raw, fields, locs, family="backup_vault",
                    unnamed=isinstance(view.get("name"), Unknown))
    return [_model(BackupVault, raw, view, locs, fields)]


def _fold_vault(raw: RawResource, scan: _Scan) -> None:
    view = scan.view(raw)
    if raw.type == "aws_backup_vault_lock_configuration":
        spec = Companion("backup_vault", "backup_vault_name", ("locked", "min_retention_days"),
                         lambda v: {"locked": True, "min_retention_days": as_int(
                             v.get("min_retention_days"), None, "min_retention_days")})
    else:
        spec = Companion("backup_vault", "backup_vault_name", ("notification_events",),
                         lambda v: {"notification_events": as_strs(
                             v.get("backup_vault_events"), (), "backup_vault_events")},
                         "backup_vault_events")
    fold_companion(spec, view, scan.targets["backup_vault"], scan.fold, what="backup vault")


def _restore_testing(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {"schedule": F("schedule_expression", as_str)})
    fields["interval_days"] = schedule_interval_days(view.get("schedule_expression"))
    locs.attr("interval_days", "schedule_expression")
    return [_model(RestoreTestingPlan, raw, view, locs, fields)]


# --- edge, APIs, certificates


def _cloudfront(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    policies: list[Any] = [view.get("default_cache_behavior.viewer_protocol_policy")]
    ordered = view.blocks("ordered_cache_behavior")
    viewer: tuple[str, ...] | Unknown
    if isinstance(ordered, Unknown):
        viewer = ordered
    else:
        policies += [b.get("viewer_protocol_policy") for b in ordered]
        viewer = as_strs([p for p in policies if p is not None], (), "viewer_protocol_policy")
    locs.attr("viewer_protocol_policies", "default_cache_behavior", "ordered_cache_behavior")
    origins = view.blocks("origin")
    origin_policies: tuple[str, ...] | Unknown
    if isinstance(origins, Unknown):
        origin_policies = origins
    else:
        found = [dig(o, "custom_origin_config.origin_protocol_policy") for o in origins]
        origin_policies = as_strs([p for p in found if p is not None], (),
                                  "origin_protocol_policy")
    locs.attr("origin_protocol_policies", "origin")
    default_cert = as_flag(view.get("viewer_certificate.cloudfront_default_certificate"),
                           False, "cloudfront_default_certificate")
    custom = coalesce(view.get("viewer_certificate.acm_certificate_arn"),
                      view.get("viewer_certificate.iam_certificate_id"))
    uses_default = default_cert if custom is None else False
    fields: dict[str, Any] = {
        "viewer_protocol_policies": viewer,
        "origin_protocol_policies": origin_policies,
        "uses_default_certificate": uses_default,
        "minimum_protocol_version": as_str(
            view.get("viewer_certificate.minimum_protocol_version"), "TLSv1",
            "minimum_protocol_version"),
        "access_logging": (bool(present(view.get("logging_config")))),
        "web_acl": as_key(view.get("web_acl_id")),
        "aliases": as_strs(view.get("aliases"), (), "aliases"),
    }
    locs.attr("uses_default_certificate", "viewer_certificate")
    locs.attr("minimum_protocol_version", "viewer_certificate")
    locs.attr("access_logging", "logging_config")
    locs.attr("web_acl", "web_acl_id")
    scan.fold.apply(raw, fields, locs, ("access_logging",) if fields["access_logging"] else (),
                    family="distribution")
    return [_model(CloudFrontDistribution, raw, view, locs, fields)]


def _fold_delivery_source(raw: RawResource, scan: _Scan) -> None:
    """CloudFront standard logging v2: a log delivery source for the distribution."""
    view = scan.view(raw)
    kind = as_str(view.get("log_type"), None, "log_type")
    if kind != "ACCESS_LOGS":
        return
    pointer = view.get("resource_arn")
    target = _target(scan, "distribution", pointer, raw)
    if isinstance(target, str):
        scan.fold.set(target, "access_logging", True, raw.location)


def _api_protocol(scan: _Scan, pointer: Any, raw: RawResource, v2: bool) -> Any:
    if not v2:
        return "REST"
    api = scan.targets["http_api"].get(_target(scan, "http_api", pointer, raw))
    if api is None:
        return Unknown(f"API {_text(pointer)} is not in this scan")
    return as_upper(scan.view(api).get("protocol_type"), None, "protocol_type")


def _stage(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    v2 = raw.type == "aws_apigatewayv2_stage"
    api_key = "api_id" if v2 else "rest_api_id"
    fields: dict[str, Any] = {
        "api_id": as_key(view.get(api_key)),
        "access_logging": _known_or_present(view.get("access_log_settings")),
        "tracing": (False if v2 else as_flag(view.get("xray_tracing_enabled"), False,
                                              "xray_tracing_enabled")),
        "protocol": _api_protocol(scan, view.get(api_key), raw, v2),
    }
    locs.attr("access_logging", "access_log_settings")
    locs.attr("tracing", "xray_tracing_enabled")
    if v2:
        fields["throttling_configured"] = _throttled(
            view.get("default_route_settings.throttling_rate_limit"),
            view.get("default_route_settings.throttling_burst_limit"))
        locs.attr("throttling_configured", "default_route_settings")
    else:
        fields["throttling_configured"] = False
    scan.fold.apply(raw, fields, locs,
                    ("throttling_configured",) if fields["throttling_configured"] is True else (),
                    family="stage")
    return [_model(ApiGatewayStage, raw, view, locs, fields)]


def _known_or_present(value: Any) -> bool | Unknown:
    return value if isinstance(value, Unknown) else present(value)


def _throttled(rate: Any, burst: Any) -> bool | Unknown:
    """Throttling limits set: a rate or burst limit other than -1 (unset)."""
    values = [as_int(v, None, "throttling") for v in (rate, burst) if v is not None]
    if any(isinstance(v, Unknown) for v in values):
        return next(v for v in values if isinstance(v, Unknown))
    return any(isinstance(v, int) and v >= 0 for v in values)


def _stage_pointer(scan: _Scan, api: Any, stage: Any, raw: RawResource) -> str | Unknown | None:
    """The stage a method-settings/usage-plan entry names: by reference, or by API + name."""
    direct = _target(scan, "stage", stage, raw)
    if direct is not None:
        return direct
    api_target = _target(scan, "rest_api", api, raw)
    if isinstance(api_target, Unknown):
        return api_target
    if not isinstance(stage, str):
        return None
    for address, stage_raw in scan.targets["stage"].by_address.items():
        sview = scan.view(stage_raw)
        name = sview.get("stage_name") or sview.get("name")
        owner = _target(scan, "rest_api", sview.get("rest_api_id") or sview.get("api_id"),
                        stage_raw)
        if name == stage and (api_target is None or owner == api_target):
            return address
    return None


def _fold_method_settings(raw: RawResource, scan: _Scan) -> None:
    view = scan.view(raw)
    if raw.type == "aws_api_gateway_usage_plan":
        throttled = _throttled(view.get("throttle_settings.rate_limit"),
                               view.get("throttle_settings.burst_limit"))
        entries = view.blocks("api_stages")
        pairs = [] if isinstance(entries, Unknown) else [
            (e.get("api_id"), e.get("stage")) for e in entries]
    else:
        throttled = _throttled(view.get("settings.throttling_rate_limit"),
                               view.get("settings.throttling_burst_limit"))
        pairs = [(view.get("rest_api_id"), view.get("stage_name"))]
    if throttled is False:
        return
    for api, stage in pairs:
        target = _stage_pointer(scan, api, stage, raw)
        if isinstance(target, str):
            scan.fold.set(target, "throttling_configured", throttled, raw.location)


def _fold_waf(raw: RawResource, scan: _Scan) -> None:
    view = scan.view(raw)
    pointer = view.get("resource_arn")
    targets = [pointer]
    if isinstance(pointer, PartialString):
        targets = [p for p in pointer.parts if isinstance(p, Reference)]
    for value in targets:
        target = _target(scan, "stage", value, raw)
        if isinstance(target, str):
            scan.fold.set(target, "web_acl", as_key(view.get("web_acl_arn")), raw.location)


def _method(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    v2 = raw.type == "aws_apigatewayv2_route"
    api_key = "api_id" if v2 else "rest_api_id"
    family = "http_api" if v2 else "rest_api"
    api = scan.targets[family].get(_target(scan, family, view.get(api_key), raw))
    fields = read(view, locs, {
        "http_method": F("route_key" if v2 else "http_method", as_str),
        "authorization_type": F("authorization_type" if v2 else "authorization", as_upper,
                                "NONE"),
        "api_key_required": F("api_key_required", as_flag, False),
    })
    fields["api_id"] = as_key(view.get(api_key))
    fields["protocol"] = _api_protocol(scan, view.get(api_key), raw, v2)
    fields["api_public_by_tag"] = (public_by_tag(scan.view(api).get("tags"))
                                   if api is not None else False)
    return [_model(ApiGatewayMethod, raw, view, locs, fields)]


def _acm(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    imported = present(view.get("private_key")) or present(view.get("certificate_body"))
    private_ca = present(view.get("certificate_authority_arn"))
    fields = read(view, locs, {
        "domain_name": F("domain_name", as_str),
        "key_algorithm": F("key_algorithm", as_str, None if imported else "RSA_2048"),
    })
    fields["imported"] = imported
    locs.attr("imported", "private_key", "certificate_body")
    method = as_upper(view.get("validation_method"), None, "validation_method")
    fields["validation_method"] = None if (imported or private_ca) else method
    locs.attr("validation_method", "validation_method")
    return [_model(AcmCertificate, raw, view, locs, fields)]


# --- network


def _vpc(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields: dict[str, Any] = {"vpc_id": raw.address,
                              "is_default": raw.type == "aws_default_vpc",
                              "default_sg_restricted": None}
    scan.fold.apply(raw, fields, locs, family="vpc")
    return [_model(Vpc, raw, view, locs, fields)]


def _default_sg(raw: RawResource, scan: _Scan) -> list[Resource]:
    """`aws_default_security_group`: Terraform removes every rule it does not declare."""
    built = _security_group(raw, scan)
    return [replace(r, is_default=True) if isinstance(r, SecurityGroup) else r for r in built]


def _fold_default_sg(raw: RawResource, scan: _Scan) -> None:
    view = scan.view(raw)
    rules = [view.blocks(d) for d in ("ingress", "egress")]
    unknown = next((r for r in rules if isinstance(r, Unknown)), None)
    restricted: bool | Unknown = unknown if unknown is not None else not any(rules)
    pointer = view.get("vpc_id")
    if pointer is None:  # the default VPC's group
        for address, vpc in scan.targets["vpc"].by_address.items():
            if vpc.type == "aws_default_vpc" and vpc.module == raw.module:
                scan.fold.set(address, "default_sg_restricted", restricted, raw.location)
        return
    target = _target(scan, "vpc", pointer, raw)
    if isinstance(target, str):
        scan.fold.set(target, "default_sg_restricted", restricted, raw.location)


def _flow_log(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    pointer = coalesce(view.get("vpc_id"), view.get("subnet_id"), view.get("eni_id"),
                       view.get("transit_gateway_id"), view.get("transit_gateway_attachment_id"))
    target = pointer.target if isinstance(pointer, Reference) else as_key(pointer)
    fields = {"target": target, "traffic_type": as_str(view.get("traffic_type"), "ALL",
                                                       "traffic_type")}
    locs.attr("target", "vpc_id", "subnet_id", "eni_id")
    return [_model(FlowLog, raw, view, locs, fields)]


def _nacl_rule(block: Mapping[str, Any] | View, egress: bool, keys: Mapping[str, str],
               path: str) -> NetworkAclRule:
    def get(name: str) -> Any:
        return block.get(name) if isinstance(block, View) else dig(block, name)

    return NetworkAclRule(
        egress=egress,
        rule_number=_rule_number(get(keys["number"])),
        action=_lower(as_str(get(keys["action"]), Unknown("rule action not set"), "action")),
        protocol=protocol(get("protocol")),
        from_port=as_int(get(keys["from"]), None, "from_port"),
        to_port=as_int(get(keys["to"]), None, "to_port"),
        cidr_block=as_str(get("cidr_block"), None, "cidr_block"),
        ipv6_cidr_block=as_str(get("ipv6_cidr_block"), None, "ipv6_cidr_block"),
        path=path,
    )


def _rule_number(value: Any) -> int | Unknown:
    number = as_int(value, None, "rule_no")
    return Unknown("rule number not set") if number is None else number


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


_TF_NACL_KEYS = {"number": "rule_no", "action": "action", "from": "from_port", "to": "to_port"}
_TF_NACL_RULE_KEYS = {"number": "rule_number", "action": "rule_action", "from": "from_port",
                      "to": "to_port"}


def _nacl(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    rules: list[NetworkAclRule] = []
    unknown: Unknown | None = None
    for direction in ("ingress", "egress"):
        found = view.blocks(direction)
        if isinstance(found, Unknown):
            unknown = found
            locs.attr("rules", direction)
            continue
        for i, block in enumerate(found):
            index = len(rules)
            rules.append(_nacl_rule(block, direction == "egress", _TF_NACL_KEYS,
                                    f"rules[{index}]"))
            locs.indexed(f"rules[{index}]", direction, i)
    for rule, loc in scan.fold.added(raw.address, "rules"):
        index = len(rules)
        rules.append(replace(rule, path=f"rules[{index}]"))
        locs.set(f"rules[{index}]", loc)
    return [_model(NetworkAcl, raw, view, locs,
                   {"rules": unknown if unknown is not None else tuple(rules)})]


def _fold_nacl_rule(raw: RawResource, scan: _Scan) -> None:
    view = scan.view(raw)
    egress = as_flag(view.get("egress"), False, "egress")
    rule = _nacl_rule(view, egress is True, _TF_NACL_RULE_KEYS, "rules[0]")
    if isinstance(egress, Unknown):
        rule = replace(rule, action=egress)
    target = _target(scan, "nacl", view.get("network_acl_id"), raw)
    scan.nacl_rules[raw.address] = rule
    if isinstance(target, str):
        scan.fold.add(target, "rules", rule, raw.location)
        scan.joined.add(raw.address)


def _standalone_nacl_rule(raw: RawResource, scan: _Scan) -> list[Resource]:
    """A rule whose network ACL is not in the scan is judged on its own."""
    if raw.address in scan.joined or raw.address not in scan.nacl_rules:
        return []
    view = scan.view(raw)
    locs = Locations(raw)
    locs.set("rules[0]", raw.location)
    return [_model(NetworkAcl, raw, view, locs, {"rules": (scan.nacl_rules[raw.address],)})]


def _vpn(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    tunnels: list[VpnTunnel] = []
    for n in (1, 2):
        tunnels.append(VpnTunnel(
            ike_versions=_optional_strs(view.get(f"tunnel{n}_ike_versions"), "ike_versions"),
            phase1_dh_groups=_optional_ints(view.get(f"tunnel{n}_phase1_dh_group_numbers")),
            phase2_dh_groups=_optional_ints(view.get(f"tunnel{n}_phase2_dh_group_numbers")),
            path=f"tunnels[{n - 1}]",
        ))
        locs.attr(f"tunnels[{n - 1}]", f"tunnel{n}_ike_versions",
                  f"tunnel{n}_phase1_dh_group_numbers", f"tunnel{n}_phase2_dh_group_numbers")
    return [_model(VpnConnection, raw, view, locs, {"tunnels": tuple(tunnels)})]


def _optional_strs(value: Any, what: str) -> tuple[str, ...] | Unknown | None:
    if value is None or (isinstance(value, list | tuple) and not value):
        return None
    return as_strs(value, (), what)


def _optional_ints(value: Any) -> tuple[int, ...] | Unknown | None:
    if value is None or (isinstance(value, list | tuple) and not value):
        return None
    items = value if isinstance(value, list | tuple) else [value]
    out: list[int] = []
    for item in items:
        number = as_int(item, None, "dh_group_numbers")
        if isinstance(number, Unknown):
            return number
        if isinstance(number, int):
            out.append(number)
    return tuple(out)


def _load_balancer(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    classic = raw.type == "aws_elb"
    fields = read(view, locs, {"internal": F("internal", as_flag, False)})
    fields["lb_type"] = "classic" if classic else as_str(
        view.get("load_balancer_type"), "application", "load_balancer_type")
    locs.attr("lb_type", "load_balancer_type")
    # aws_lb: access_logs.enabled defaults to false even with a bucket; aws_elb: to true.
    fields["access_logging"] = _enabled_block(view, "access_logs", "enabled", classic)
    locs.attr("access_logging", "access_logs")
    return [_model(LoadBalancer, raw, view, locs, fields)]


# --- monitoring and governance


def _metric_filter(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    group = view.get("log_group_name")
    fields = read(view, locs, {
        "pattern": F("pattern", as_str),
        "metric_name": F("metric_transformation.name", as_str),
        "metric_namespace": F("metric_transformation.namespace", as_str),
    })
    fields["log_group"] = group.target if isinstance(group, Reference) else as_key(group)
    locs.attr("log_group", "log_group_name")
    return [_model(MetricFilter, raw, view, locs, fields)]


def _metric_alarm(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "alarm_name": F("alarm_name", as_str),
        "metric_name": F("metric_name", as_str),
        "metric_namespace": F("namespace", as_str),
        "actions_enabled": F("actions_enabled", as_flag, True),
    })
    fields["alarm_actions"] = texts(view.get("alarm_actions"), "alarm_actions")
    locs.attr("alarm_actions", "alarm_actions")
    queries = view.blocks("metric_query")
    if isinstance(queries, list) and fields["metric_name"] is None:
        names = [dig(q, "metric.metric_name") for q in queries]
        spaces = [dig(q, "metric.namespace") for q in queries]
        fields["metric_name"] = as_str(next((n for n in names if n is not None), None))
        fields["metric_namespace"] = as_str(next((n for n in spaces if n is not None), None))
    return [_model(MetricAlarm, raw, view, locs, fields)]


def _event_rule(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    state = as_upper(view.get("state"), None, "state")
    enabled = as_flag(view.get("is_enabled"), True, "is_enabled")
    if state is not None:
        enabled = state if isinstance(state, Unknown) else state != "DISABLED"
    targets = tuple(str(t) for t, _ in scan.fold.added(raw.address, "targets"))
    fields = {"pattern": _json_text(view.get("event_pattern")), "enabled": enabled,
              "targets": targets}
    locs.attr("pattern", "event_pattern")
    locs.attr("enabled", "state", "is_enabled")
    return [_model(EventRule, raw, view, locs, fields)]


def _json_text(value: Any) -> str | Unknown | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Unknown):
        structure = getattr(value, "value", None)
        if isinstance(structure, Mapping):
            return json.dumps(plain(structure), sort_keys=True)
        return value
    if isinstance(value, Mapping | list):
        return json.dumps(plain(value), sort_keys=True)
    return Unknown("event pattern is not JSON")


def _fold_event_target(raw: RawResource, scan: _Scan) -> None:
    view = scan.view(raw)
    target = _target(scan, "event_rule", view.get("rule"), raw)
    if isinstance(target, str):
        scan.fold.add(target, "targets", ref_text(view.get("arn")) or raw.address, raw.location)


def _recorder(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "include_global_resources": F("recording_group.include_global_resource_types", as_flag,
                                      False),
    })
    all_supported = as_flag(view.get("recording_group.all_supported"), True, "all_supported")
    strategy = as_str(view.get("recording_group.recording_strategy.use_only"), None, "use_only")
    if isinstance(strategy, str) and strategy != "ALL_SUPPORTED_RESOURCE_TYPES":
        all_supported = False
    elif isinstance(strategy, Unknown):
        all_supported = strategy
    fields["all_supported"] = all_supported
    locs.attr("all_supported", "recording_group")
    fields["recording"] = False  # started only by aws_config_configuration_recorder_status
    scan.fold.apply(raw, fields, locs, family="recorder",
                    unnamed=isinstance(view.get("name"), Unknown))
    return [_model(ConfigRecorder, raw, view, locs, fields)]


def _fold_recorder_status(raw: RawResource, scan: _Scan) -> None:
    fold_companion(Companion(
        "recorder", "name", ("recording",),
        lambda v: {"recording": as_flag(v.get("is_enabled"), False, "is_enabled")},
        "is_enabled"), scan.view(raw), scan.targets["recorder"], scan.fold, what="recorder")


def _detector(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {"enabled": F("enable", as_flag, True)})
    found: dict[str, bool] = {}
    unknown: Unknown | None = scan.unknown_features.get(raw.address)
    for name, (value, loc) in scan.fold_features.get(raw.address, {}).items():
        if isinstance(value, Unknown):
            unknown = value
        else:
            found[name] = value
        locs.set("features", loc)
    features = _inline_features(view)
    if isinstance(features, Unknown):
        unknown = unknown or features
    else:
        found = {**features, **found}
    fields["features"] = unknown if unknown is not None else MappingProxyType(found)
    return [_model(GuardDutyDetector, raw, view, locs, fields)]


def _inline_features(view: View) -> dict[str, bool] | Unknown:
    """The legacy `datasources` block: S3 logs, Kubernetes audit logs, malware scans."""
    out: dict[str, bool] = {}
    for name, path in (("S3_DATA_EVENTS", "datasources.s3_logs.enable"),
                       ("EKS_AUDIT_LOGS", "datasources.kubernetes.audit_logs.enable"),
                       ("EBS_MALWARE_PROTECTION", "datasources.malware_protection"
                        ".scan_ec2_instance_with_findings.ebs_volumes.enable")):
        value = view.get(path)
        if value is None:
            continue
        flag = as_flag(value, False, path)
        if isinstance(flag, Unknown):
            return flag
        out[name] = flag
    return out


def _fold_detector_feature(raw: RawResource, scan: _Scan) -> None:
    view = scan.view(raw)
    target = _target(scan, "detector", view.get("detector_id"), raw)
    name = as_str(view.get("name"), None, "name")
    status = as_upper(view.get("status"), None, "status")
    if not isinstance(target, str):
        return
    if isinstance(name, Unknown):
        scan.unknown_features[target] = name
        return
    if name is None:
        return
    value: bool | Unknown = status if isinstance(status, Unknown) else status == "ENABLED"
    scan.fold_features.setdefault(target, {})[name] = (value, raw.location)


def _codebuild(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "privileged_mode": F("environment.privileged_mode", as_flag, False),
        "kms_key": F("encryption_key", as_key),
    })
    cw = as_upper(view.get("logs_config.cloudwatch_logs.status"), "ENABLED", "status")
    s3 = as_upper(view.get("logs_config.s3_logs.status"), "DISABLED", "status")
    if isinstance(cw, Unknown) or isinstance(s3, Unknown):
        fields["logs_enabled"] = cw if isinstance(cw, Unknown) else s3
    else:
        fields["logs_enabled"] = cw == "ENABLED" or s3 == "ENABLED"
    locs.attr("logs_enabled", "logs_config")
    fields["plaintext_env"] = _plaintext_env(view.blocks("environment.environment_variable"),
                                             "name", "value", "type")
    locs.attr("plaintext_env", "environment")
    return [_model(CodeBuildProject, raw, view, locs, fields)]


def _plaintext_env(found: list[Mapping[str, Any]] | Unknown, name_key: str, value_key: str,
                   type_key: str) -> Mapping[str, object] | Unknown:
    if isinstance(found, Unknown):
        return found
    out: dict[str, object] = {}
    for item in found:
        name = item.get(name_key)
        kind = as_upper(item.get(type_key), "PLAINTEXT", type_key)
        if isinstance(name, Unknown):
            return name
        if isinstance(kind, Unknown):
            return kind
        if isinstance(name, str) and kind == "PLAINTEXT":
            out[name] = item.get(value_key)
    return MappingProxyType(out)


def _signing_config(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {"enforce": F("policies.untrusted_artifact_on_deployment",
                                            as_str, "Warn")})
    return [_model(LambdaCodeSigningConfig, raw, view, locs, fields)]


def _lambda_permission(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "function": F("function_name", as_key),
        "action": F("action", as_str),
        "principal": F("principal", as_str),
        "source_arn": F("source_arn", as_key),
        "source_account": F("source_account", as_key),
        "principal_org_id": F("principal_org_id", as_key),
        "function_url_auth_type": F("function_url_auth_type", as_upper),
    })
    return [_model(LambdaPermission, raw, view, locs, fields)]


def _function_url(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "function": F("function_name", as_key),
        "authorization_type": F("authorization_type", as_upper),
    })
    return [_model(LambdaFunctionUrl, raw, view, locs, fields)]


def _stack_parameters(raw: RawResource, scan: _Scan) -> list[Resource]:
    """`aws_cloudformation_stack(_set).parameters`: one StackParameter per value passed."""
    view = scan.view(raw)
    values = view.get("parameters")
    if not isinstance(values, Mapping):
        return []
    loc = raw.attribute_locations.get("parameters", raw.location)
    tag_value = common(raw, view.get("tags"))["tags"]
    out: list[Resource] = []
    for name, value in values.items():
        out.append(StackParameter(
            address=f"{raw.address}/parameters.{name}", native_type=raw.type, source=raw.source,
            location=loc, field_locations={"value": loc}, name=str(name), tags=tag_value,
            parameter_name=str(name), value=as_str(value, None, str(name)),
        ))
    return out


# --- KMS, IAM, RDS, CloudTrail and Lambda additions


def _kms_extra(view: View, scan: _Scan, fields: dict[str, Any], locs: Locations) -> None:
    fields["multi_region"] = as_flag(view.get("multi_region"), False, "multi_region")
    locs.attr("multi_region", "multi_region")
    if view.raw.type == "aws_kms_external_key":
        fields["origin"] = "EXTERNAL"
    elif present(view.get("custom_key_store_id")):
        fields["origin"] = ("EXTERNAL_KEY_STORE" if present(view.get("xks_key_id"))
                            else "AWS_CLOUDHSM")
    locs.attr("origin", "custom_key_store_id")
    fields["replicas"] = tuple(str(a) for a, _ in scan.fold.added(view.raw.address, "replicas"))
    if fields["replicas"]:
        locs.set("replicas", scan.fold.added(view.raw.address, "replicas")[0][1])


def _fold_replica_key(raw: RawResource, scan: _Scan) -> None:
    target = _target(scan, "kms", scan.view(raw).get("primary_key_arn"), raw)
    if isinstance(target, str):
        scan.fold.add(target, "replicas", raw.address, raw.location)


def _fold_policy_attachment(raw: RawResource, scan: _Scan) -> None:
    """Where a managed policy is attached (`user:x`, `group:y`, `role:z`)."""
    view = scan.view(raw)
    target = _target(scan, "policy", view.get("policy_arn"), raw)
    if not isinstance(target, str):
        return
    kinds = {"aws_iam_user_policy_attachment": (("user", "user"),),
             "aws_iam_group_policy_attachment": (("group", "group"),),
             "aws_iam_role_policy_attachment": (("role", "role"),),
             "aws_iam_policy_attachment": (("user", "users"), ("group", "groups"),
                                           ("role", "roles"))}[raw.type]
    for kind, attr in kinds:
        value = view.get(attr)
        for item in value if isinstance(value, list | tuple) else [value]:
            if item is None:
                continue
            name = as_name(item)
            scan.fold.add(target, "attachments",
                          f"{kind}:{name if isinstance(name, str) else '?'}", raw.location)


def _rds_cluster_instance(raw: RawResource, scan: _Scan) -> list[Resource]:
    """An Aurora cluster member (`aws_rds_cluster_instance`): storage, backups, TLS and
    deletion protection are the cluster's."""
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "engine": F("engine", as_str),
        "engine_version": F("engine_version", as_str),
        "publicly_accessible": F("publicly_accessible", as_flag, False),
        "auto_minor_version_upgrade": F("auto_minor_version_upgrade", as_flag, True),
    })
    cluster_id = view.get("cluster_identifier")
    fields["member_of_cluster"] = True
    fields["cluster"] = cluster_id.target if isinstance(cluster_id, Reference) else as_key(
        cluster_id)
    locs.attr("cluster", "cluster_identifier")
    cluster = scan.target("cluster", cluster_id, raw)
    if cluster is None:
        why = Unknown(f"storage is configured on cluster {_text(cluster_id)}, not in this scan")
        fields["storage_encryption"] = Encryption(enabled=why)
        locs.attr("storage_encryption", "cluster_identifier")
    else:
        cview = scan.view(cluster)
        fields["storage_encryption"] = _cluster_storage(cview)
        fields["backup_retention_days"] = as_int(
            cview.get("backup_retention_period"), 1, "backup_retention_period")
        locs.set("storage_encryption", cluster.attribute_locations.get(
            "storage_encrypted", cluster.location))
        if fields["engine"] is None:
            fields["engine"] = as_str(cview.get("engine"), "aurora", "engine")
    return [_model(DatabaseInstance, raw, view, locs, fields)]


def _db_pack(raw: RawResource, scan: _Scan, built: list[Resource]) -> list[Resource]:
    """The rule pack's database fields: engine version, TLS, passwords, cluster member."""
    view = scan.view(raw)
    out: list[Resource] = []
    for res in built:
        if not isinstance(res, DatabaseInstance):
            out.append(res)
            continue
        changes: dict[str, Any] = {
            "engine_version": as_str(view.get("engine_version"), None, "engine_version"),
            "master_password": as_str(coalesce(view.get("password"),
                                               view.get("master_password")), None, "password"),
            "manages_master_password": as_flag(view.get("manage_master_user_password"), False,
                                               "manage_master_user_password"),
        }
        locs = dict(res.field_locations)
        for field, attrs in (("master_password", ("password", "master_password")),
                             ("require_tls", ("parameter_group_name",
                                              "db_cluster_parameter_group_name"))):
            for attr in attrs:
                if attr in raw.attribute_locations:
                    locs[field] = raw.attribute_locations[attr]
                    break
        if res.member_of_cluster:
            cluster_id = view.get("cluster_identifier")
            changes["cluster"] = (cluster_id.target if isinstance(cluster_id, Reference)
                                  else as_key(cluster_id))
            changes["require_tls"] = None
        elif res.is_cluster:
            changes["require_tls"] = database_requires_tls(
                res.engine, changes["engine_version"], _parameters(
                    scan, "cluster_params", view.get("db_cluster_parameter_group_name"), raw))
        else:
            changes["require_tls"] = database_requires_tls(
                res.engine, changes["engine_version"], _parameters(
                    scan, "db_params", view.get("parameter_group_name"), raw))
        out.append(replace(res, **changes, field_locations=MappingProxyType(locs)))
    return out


def _role_pack(raw: RawResource, scan: _Scan, built: list[Resource]) -> list[Resource]:
    view = scan.view(raw)
    duration = as_int(view.get("max_session_duration"), 3600, "max_session_duration")
    out: list[Resource] = []
    for res in built:
        if isinstance(res, IamRole):
            locs = dict(res.field_locations)
            if "max_session_duration" in raw.attribute_locations:
                locs["max_session_duration"] = raw.attribute_locations["max_session_duration"]
            res = replace(res, max_session_duration=duration,
                          field_locations=MappingProxyType(locs))
        out.append(res)
    return out


def _policy_pack(raw: RawResource, scan: _Scan, built: list[Resource]) -> list[Resource]:
    found = scan.fold.added(raw.address, "attachments")
    if not found:
        return built
    names = tuple(dict.fromkeys(str(a) for a, _ in found))
    return [replace(r, attachments=names) if isinstance(r, IamPolicy) else r for r in built]


def _trail_pack(raw: RawResource, scan: _Scan, built: list[Resource]) -> list[Resource]:
    view = scan.view(raw)
    excluded, resources = _trail_selectors(view.blocks("event_selector"),
                                           view.blocks("advanced_event_selector"))
    out: list[Resource] = []
    for res in built:
        if isinstance(res, CloudTrail):
            res = replace(res, sns_topic=as_key(view.get("sns_topic_name")),
                          excluded_event_sources=excluded, data_event_resources=resources)
        out.append(res)
    return out


def _trail_selectors(basic: list[Mapping[str, Any]] | Unknown,
                     advanced: list[Mapping[str, Any]] | Unknown,
                     ) -> tuple[tuple[str, ...] | Unknown, tuple[str, ...] | Unknown]:
    """(excluded management event sources, S3 object data event resources) of a trail."""
    if isinstance(advanced, Unknown):
        return advanced, advanced
    if advanced:
        return _advanced_selectors(advanced, "field_selector", "field", "equals",
                                   "not_equals", "starts_with")
    if isinstance(basic, Unknown):
        return basic, basic
    excluded: list[str] = []
    resources: list[str] = []
    for selector in basic:
        found = as_strs(selector.get("exclude_management_event_sources"), (),
                        "exclude_management_event_sources")
        if isinstance(found, Unknown):
            return found, found
        excluded.extend(found)
        data = blocks(selector.get("data_resource"), "data_resource")
        if isinstance(data, Unknown):
            return tuple(excluded), data
        for item in data:
            if as_str(item.get("type")) != "AWS::S3::Object":
                continue
            values = texts(item.get("values"), "data_resource.values")
            if isinstance(values, Unknown):
                return tuple(excluded), values
            resources.extend(values)
    return tuple(excluded), tuple(s3_prefix(v) for v in resources)


def _advanced_selectors(selectors: list[Mapping[str, Any]], fields_key: str, field: str,
                        equals: str, not_equals: str, starts: str
                        ) -> tuple[tuple[str, ...] | Unknown, tuple[str, ...] | Unknown]:
    excluded: list[str] = []
    resources: list[str] = []
    for selector in selectors:
        found = blocks(selector.get(fields_key), fields_key)
        if isinstance(found, Unknown):
            return found, found
        by_field: dict[str, Mapping[str, Any]] = {}
        for fs in found:
            name = as_str(fs.get(field))
            if isinstance(name, str):
                by_field[name] = fs
        category = as_strs((by_field.get("eventCategory") or {}).get(equals), (), equals)
        if isinstance(category, Unknown):
            return category, category
        source = by_field.get("eventSource") or {}
        if "Management" in category:
            not_sources = as_strs(source.get(not_equals), (), not_equals)
            if isinstance(not_sources, Unknown):
                return not_sources, not_sources
            excluded.extend(not_sources)
        if "Data" in category:
            kinds = as_strs((by_field.get("resources.type") or {}).get(equals), (), equals)
            if isinstance(kinds, Unknown):
                return tuple(excluded), kinds
            if "AWS::S3::Object" not in kinds:
                continue
            arn = by_field.get("resources.ARN")
            if arn is None:
                resources.append("*")
                continue
            values = texts(coalesce(arn.get(starts), arn.get(equals)), "resources.ARN")
            if isinstance(values, Unknown):
                return tuple(excluded), values
            resources.extend(s3_prefix(v) for v in values)
    return tuple(excluded), tuple(resources)


def _lambda_pack(raw: RawResource, scan: _Scan, built: list[Resource]) -> list[Resource]:
    view = scan.view(raw)
    kind = as_str(view.get("package_type"), "Zip", "package_type")
    return [replace(r, package_type=kind) if isinstance(r, LambdaFunction) else r for r in built]


def _fold_redshift_logging(raw: RawResource, scan: _Scan) -> None:
    view = scan.view(raw)
    target = _target(scan, "redshift", view.get("cluster_identifier"), raw)
    if isinstance(target, str):
        scan.fold.add(target, "audit_logging", True, raw.location)


# Extra fields for builders defined above (run after them).
_PACK_AFTER: Mapping[str, Callable[[RawResource, _Scan, list[Resource]], list[Resource]]] = {
    "aws_db_instance": _db_pack,
    "aws_rds_cluster": _db_pack,
    "aws_rds_cluster_instance": _db_pack,
    "aws_iam_role": _role_pack,
    "aws_iam_policy": _policy_pack,
    "aws_cloudtrail": _trail_pack,
    "aws_lambda_function": _lambda_pack,
}

_PACK_FOLDERS: Mapping[str, Callable[[RawResource, _Scan], None]] = {
    "aws_secretsmanager_secret_rotation": _fold_rotation,
    "aws_backup_selection": _fold_selection,
    "aws_backup_vault_lock_configuration": _fold_vault,
    "aws_backup_vault_notifications": _fold_vault,
    "aws_cloudwatch_log_delivery_source": _fold_delivery_source,
    "aws_api_gateway_method_settings": _fold_method_settings,
    "aws_api_gateway_usage_plan": _fold_method_settings,
    "aws_wafv2_web_acl_association": _fold_waf,
    "aws_network_acl_rule": _fold_nacl_rule,
    "aws_cloudwatch_event_target": _fold_event_target,
    "aws_config_configuration_recorder_status": _fold_recorder_status,
    "aws_guardduty_detector_feature": _fold_detector_feature,
    "aws_kms_replica_key": _fold_replica_key,
    "aws_iam_group_policy_attachment": _fold_policy_attachment,
    "aws_redshift_logging": _fold_redshift_logging,
}
# Folded by both the IAM folder above and the policy-attachment folder.
_ATTACHMENT_TYPES = ("aws_iam_user_policy_attachment", "aws_iam_role_policy_attachment",
                     "aws_iam_policy_attachment")
# Resources that are built and also configure another resource (folded first).
_PACK_BUILD_AND_FOLD: Mapping[str, Callable[[RawResource, _Scan], None]] = {
    "aws_default_security_group": _fold_default_sg,
}

_PACK_BUILDERS: Mapping[str, Builder] = {
    "aws_dynamodb_table": _dynamodb,
    "aws_elasticache_replication_group": _elasticache,
    "aws_opensearch_domain": _opensearch,
    "aws_elasticsearch_domain": _opensearch,
    "aws_redshift_cluster": _redshift,
    "aws_efs_file_system": _simple(EfsFileSystem, {}, _simple_encryption("encrypted",
                                                                          "kms_key_id")),
    "aws_kinesis_stream": _simple(KinesisStream, {}, _kinesis_extra),
    "aws_sns_topic": _simple(SnsTopic, {"kms_key": F("kms_master_key_id", as_key),
                                        "policy": F("policy", as_policy)}),
    "aws_sqs_queue": _simple(SqsQueue, {}, _sqs_extra),
    "aws_secretsmanager_secret": _secret,
    "aws_ssm_parameter": _ssm_parameter,
    "aws_backup_plan": _backup_plan,
    "aws_backup_vault": _backup_vault,
    "aws_backup_restore_testing_plan": _restore_testing,
    "aws_cloudfront_distribution": _cloudfront,
    "aws_api_gateway_stage": _stage,
    "aws_apigatewayv2_stage": _stage,
    "aws_api_gateway_method": _method,
    "aws_apigatewayv2_route": _method,
    "aws_acm_certificate": _acm,
    "aws_vpc": _vpc,
    "aws_default_vpc": _vpc,
    "aws_default_security_group": _default_sg,
    "aws_flow_log": _flow_log,
    "aws_network_acl": _nacl,
    "aws_default_network_acl": _nacl,
    "aws_network_acl_rule": _standalone_nacl_rule,
    "aws_vpn_connection": _vpn,
    "aws_lb": _load_balancer,
    "aws_alb": _load_balancer,
    "aws_elb": _load_balancer,
    "aws_cloudwatch_log_metric_filter": _metric_filter,
    "aws_cloudwatch_metric_alarm": _metric_alarm,
    "aws_cloudwatch_event_rule": _event_rule,
    "aws_config_configuration_recorder": _recorder,
    "aws_guardduty_detector": _detector,
    "aws_codebuild_project": _codebuild,
    "aws_lambda_code_signing_config": _signing_config,
    "aws_lambda_permission": _lambda_permission,
    "aws_lambda_function_url": _function_url,
    "aws_cloudformation_stack": _stack_parameters,
    "aws_cloudformation_stack_set": _stack_parameters,
    "aws_rds_cluster_instance": _rds_cluster_instance,
    "aws_kms_external_key": _simple(KmsKey, _KMS, _kms_extra),
}

# Optional+Computed attributes of the pack's types (see PLAN_COMPUTED).
_PACK_COMPUTED: Mapping[str, frozenset[str]] = {
    "aws_sqs_queue": frozenset({"sqs_managed_sse_enabled", "policy"}),
    "aws_sns_topic": frozenset({"policy"}),
    "aws_elasticache_replication_group": frozenset({
        "at_rest_encryption_enabled", "transit_encryption_enabled", "kms_key_id", "engine",
        "snapshot_retention_limit", "auto_minor_version_upgrade", "automatic_failover_enabled",
    }),
    "aws_opensearch_domain": frozenset({
        "domain_endpoint_options", "domain_endpoint_options.enforce_https",
        "domain_endpoint_options.tls_security_policy", "encrypt_at_rest",
        "encrypt_at_rest.kms_key_id", "node_to_node_encryption", "access_policies",
    }),
    "aws_elasticsearch_domain": frozenset({
        "domain_endpoint_options", "domain_endpoint_options.enforce_https",
        "domain_endpoint_options.tls_security_policy", "encrypt_at_rest",
        "encrypt_at_rest.kms_key_id", "node_to_node_encryption", "access_policies",
    }),
    "aws_redshift_cluster": frozenset({"encrypted", "kms_key_id", "publicly_accessible",
                                        "cluster_parameter_group_name", "logging"}),
    "aws_efs_file_system": frozenset({"encrypted", "kms_key_id"}),
    "aws_kinesis_stream": frozenset({"encryption_type"}),
    "aws_dynamodb_table": frozenset({"server_side_encryption", "point_in_time_recovery"}),
    "aws_lb": frozenset({"internal", "load_balancer_type", "access_logs"}),
    "aws_alb": frozenset({"internal", "load_balancer_type", "access_logs"}),
    "aws_cloudfront_distribution": frozenset({"viewer_certificate.minimum_protocol_version"}),
    "aws_acm_certificate": frozenset({"validation_method", "key_algorithm"}),
    "aws_rds_cluster_instance": frozenset({"engine", "engine_version", "publicly_accessible"}),
}


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
    "aws_kms_key": _simple(KmsKey, _KMS, _kms_extra),
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
