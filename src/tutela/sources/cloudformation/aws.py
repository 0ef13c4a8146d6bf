"""CloudFormation (and SAM) AWS resources -> the normalized AWS model.

`adapt_cloudformation` takes the raw resources of one template (attributes are
the evaluated `Properties`; `Ref`/`Fn::GetAtt` to a resource is a
`Reference(logical_id, attribute)`) and returns model resources, in the same
three linear steps as the Terraform adapter: index the resources others point
at, fold the resources that configure others (`AWS::S3::BucketPolicy`,
`AWS::EC2::SecurityGroupIngress`, `AWS::IAM::Policy` with `Users`...), build.

Defaults are those of the CloudFormation resource specification / the AWS
APIs, written next to each field. Parameters (`AWS::CloudFormation::Parameter`)
become `StackParameter`s; unrecognised types yield nothing. The region of every
regional resource is the stack's, known only at deployment (Unknown).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from tutela.model.aws import (
    NOT_ENCRYPTED,
    AccessKey,
    AcmCertificate,
    ApiGatewayMethod,
    ApiGatewayStage,
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
from tutela.model.base import Resource
from tutela.model.policy import PolicyDocument
from tutela.model.values import PartialString, Reference, Unknown
from tutela.sources.adapting import (
    FILL,
    Companion,
    F,
    Fold,
    Locations,
    Targets,
    View,
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
    texts,
)
from tutela.sources.raw import RawResource

__all__ = ["adapt_cloudformation"]

Builder = Callable[[RawResource, "_Scan"], list[Resource]]

# Resources others point at: type -> (family, property holding the literal name).
_TARGET_TYPES: Mapping[str, tuple[str, str | None]] = {
    "AWS::S3::Bucket": ("bucket", "BucketName"),
    "AWS::EC2::SecurityGroup": ("group", None),
    "AWS::IAM::User": ("user", "UserName"),
    "AWS::IAM::Role": ("role", "RoleName"),
    "AWS::RDS::DBCluster": ("cluster", "DBClusterIdentifier"),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": ("lb", "Name"),
    "AWS::EC2::LaunchTemplate": ("template", "LaunchTemplateName"),
}


class _Scan:
    def __init__(self) -> None:
        self.fold = Fold()
        self.targets: dict[str, Targets] = {
            f: Targets() for f, _ in (*_TARGET_TYPES.values(), *_PACK_TARGETS.values())}
        self.sg_rules: dict[str, SecurityGroupRule] = {}
        self.joined: set[str] = set()
        self.nacl_rules: dict[str, NetworkAclRule] = {}
        self.default_sg_rules: set[str] = set()
        self.detector_features: dict[str, dict[str, tuple[bool | Unknown, Any]]] = {}
        self.unknown_selections: Unknown | None = None

    def target(self, family: str, value: Any) -> RawResource | None:
        targets = self.targets[family]
        return targets.get(targets.resolve(value))


def adapt_cloudformation(raw: Sequence[RawResource]) -> list[Resource]:
    """Normalized AWS resources from the raw resources of one CloudFormation template."""
    scan = _Scan()
    companions: list[RawResource] = []
    for r in raw:
        for entry in (_TARGET_TYPES.get(r.type), _PACK_TARGETS.get(r.type)):
            if entry is not None:
                family, name_prop = entry
                scan.targets[family].add(r, View(r).get(name_prop) if name_prop else None)
        if r.type in _FOLDERS or r.type in _PACK_FOLDERS:
            companions.append(r)
    for r in companions:
        for folder in (_FOLDERS.get(r.type), _PACK_FOLDERS.get(r.type)):
            if folder is not None:
                folder(r, scan)
    out: list[Resource] = []
    for r in raw:
        builder = _BUILDERS.get(r.type) or _PACK_BUILDERS.get(r.type)
        if builder is not None:
            built = builder(r, scan)
            after = _PACK_AFTER.get(r.type)
            if after is not None:
                built = after(r, scan, built)
            out.extend(_place(built))
    trails = tuple(r.address for r in out if isinstance(r, CloudTrail))
    return [replace(r, deployment_trails=trails) if isinstance(r, S3Bucket) else r for r in out]


def _model(cls: type[Resource], raw: RawResource, view: View, locs: Locations,
           fields: Mapping[str, Any]) -> Resource:
    return cls(**common(raw, view.get("Tags")), **fields, field_locations=locs.freeze())


def _simple(cls: type[Resource], table: Mapping[str, F],
            extra: Callable[[View, _Scan, dict[str, Any], Locations], None] | None = None,
            ) -> Builder:
    def build(raw: RawResource, scan: _Scan) -> list[Resource]:
        view = View(raw)
        locs = Locations(raw)
        fields = read(view, locs, table)
        if extra is not None:
            extra(view, scan, fields, locs)
        return [_model(cls, raw, view, locs, fields)]

    return build


def _text(value: Any) -> str:
    return "(not known before deployment)" if isinstance(value, Unknown) else str(value)


# --------------------------------------------------------------------------- tables

_KMS = {
    "rotation_enabled": F("EnableKeyRotation", as_flag, False),
    "key_spec": F("KeySpec", as_str, "SYMMETRIC_DEFAULT"),
    "deletion_window_days": F("PendingWindowInDays", as_int, 30),
    "policy": F("KeyPolicy", as_policy),
    "enabled": F("Enabled", as_flag, True),
}
_TRAIL = {
    "multi_region": F("IsMultiRegionTrail", as_flag, False),
    "log_file_validation": F("EnableLogFileValidation", as_flag, False),
    "kms_key": F("KMSKeyId", as_key),
    "logging_enabled": F("IsLogging", as_flag, True),
    "include_global_events": F("IncludeGlobalServiceEvents", as_flag, True),
    "cloudwatch_logs_group": F("CloudWatchLogsLogGroupArn", as_key),
    "s3_bucket": F("S3BucketName", as_key),
}
_LOG_GROUP = {
    "retention_days": F("RetentionInDays", as_int, 0),  # unset: never expire
    "kms_key": F("KmsKeyId", as_key),
    "group_name": F("LogGroupName", as_str),
}
_LISTENER = {
    "port": F("Port", as_int),
    "ssl_policy": F("SslPolicy", as_str),
    "certificate": F("Certificates.CertificateArn", as_key),
}
_LAMBDA = {
    "timeout_seconds": F("Timeout", as_int, 3),
    "reserved_concurrency": F("ReservedConcurrentExecutions", as_int),
    "env_kms_key": F("KmsKeyArn", as_key),
    "tracing_mode": F("TracingConfig.Mode", as_str),
    "dead_letter_target": F("DeadLetterConfig.TargetArn", as_key),
    "role": F("Role", as_key),
    "code_signing_config": F("CodeSigningConfigArn", as_key),
    "runtime": F("Runtime", as_str),
}
_SAM_FUNCTION = {
    **_LAMBDA,
    "tracing_mode": F("Tracing", as_str),  # Active | PassThrough | Disabled
    "dead_letter_target": F("DeadLetterQueue.TargetArn", as_key),
}
_EKS = {
    "endpoint_public_access": F("ResourcesVpcConfig.EndpointPublicAccess", as_flag, True),
    "endpoint_private_access": F("ResourcesVpcConfig.EndpointPrivateAccess", as_flag, False),
    "public_access_cidrs": F("ResourcesVpcConfig.PublicAccessCidrs", as_strs, ("0.0.0.0/0",)),
    "secrets_encryption_key": F("EncryptionConfig.Provider.KeyArn", as_key),
    "version": F("Version", as_str),
}
_ECR = {
    "scan_on_push": F("ImageScanningConfiguration.ScanOnPush", as_flag, False),
    "tag_mutability": F("ImageTagMutability", as_str, "MUTABLE"),
    "encryption_type": F("EncryptionConfiguration.EncryptionType", as_str, "AES256"),
    "kms_key": F("EncryptionConfiguration.KmsKey", as_key),
    "policy": F("RepositoryPolicyText", as_policy),
}
_DB = {
    "engine": F("Engine", as_str),
    "deletion_protection": F("DeletionProtection", as_flag, False),
    "iam_authentication": F("EnableIAMDatabaseAuthentication", as_flag, False),
    "log_exports": F("EnableCloudwatchLogsExports", as_strs, ()),
    "backup_retention_days": F("BackupRetentionPeriod", as_int, 1),  # AWS default: 1 day
}
_DB_INSTANCE = {
    **_DB,
    "multi_az": F("MultiAZ", as_flag, False),
    "auto_minor_version_upgrade": F("AutoMinorVersionUpgrade", as_flag, True),
}
_DB_CLUSTER = {**_DB, "engine_mode": F("EngineMode", as_str, "provisioned")}


# --------------------------------------------------------------------------- S3


def _sse(rules: list[Mapping[str, Any]] | Unknown) -> Encryption:
    """`BucketEncryption.ServerSideEncryptionConfiguration` rules -> Encryption."""
    if isinstance(rules, Unknown):
        return Encryption(enabled=rules)
    for rule in rules:
        default = dig(rule, "ServerSideEncryptionByDefault")
        if isinstance(default, Unknown):
            return Encryption(enabled=default)
        if not present(default):
            continue
        algorithm = as_str(dig(default, "SSEAlgorithm"), None, "SSEAlgorithm")
        if algorithm is None:
            continue
        return Encryption(enabled=True, algorithm=algorithm,
                          kms_key=as_key(dig(default, "KMSMasterKeyID")))
    return NOT_ENCRYPTED


def _pab(value: Any) -> PublicAccessBlock:
    def flag(name: str) -> bool | Unknown:
        return as_flag(dig(value, name), False, name)

    return PublicAccessBlock(
        block_public_acls=flag("BlockPublicAcls"),
        block_public_policy=flag("BlockPublicPolicy"),
        ignore_public_acls=flag("IgnorePublicAcls"),
        restrict_public_buckets=flag("RestrictPublicBuckets"),
    )


# Bucket property -> (model fields, reader of the property's value).
_BUCKET_PROPERTIES: Mapping[str, tuple[tuple[str, ...], Callable[[View], Mapping[str, Any]]]] = {
    "BucketEncryption": (("encryption",), lambda v: {
        "encryption": _sse(v.blocks("BucketEncryption.ServerSideEncryptionConfiguration"))}),
    "VersioningConfiguration": (("versioning",), lambda v: {
        "versioning": on_off(v.get("VersioningConfiguration.Status"), False, "Status")}),
    "PublicAccessBlockConfiguration": (("public_access_block",), lambda v: {
        "public_access_block": _pab(v.get("PublicAccessBlockConfiguration"))}),
    # LoggingConfiguration without DestinationBucketName logs into the bucket itself.
    "LoggingConfiguration": (("access_logging", "log_target"), lambda v: {
        "access_logging": _known_or(v.get("LoggingConfiguration"), True),
        "log_target": as_name(coalesce(v.get("LoggingConfiguration.DestinationBucketName"),
                                       v.raw.address))}),
    "ObjectLockEnabled": (("object_lock",), lambda v: {
        "object_lock": as_flag(v.get("ObjectLockEnabled"), False, "ObjectLockEnabled")}),
    "AccessControl": (("acl",), lambda v: {"acl": _canned_acl(v.get("AccessControl"))}),
}


def _known_or(value: Any, known: Any) -> Any:
    return value if isinstance(value, Unknown) else known


def _canned_acl(value: Any) -> str | Unknown | None:
    """CloudFormation's canned ACL names (`PublicRead`) in S3's spelling (`public-read`)."""
    text = as_str(value, None, "AccessControl")
    if not isinstance(text, str):
        return text
    out = [text[0].lower()] if text else []
    for ch in text[1:]:
        out.extend(("-", ch.lower()) if ch.isupper() else (ch,))
    return "".join(out)


def _bucket(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    name = as_str(view.get("BucketName"), None, "BucketName")
    fields: dict[str, Any] = {"bucket_name": name}
    locs.attr("bucket_name", "BucketName")
    explicit: list[str] = []
    for prop, (names, reader) in _BUCKET_PROPERTIES.items():
        if view.get(prop) is None:
            continue
        fields.update(reader(view))
        explicit.extend(names)
        for field in names:
            locs.attr(field, prop)
    scan.fold.apply(raw, fields, locs, explicit, family="bucket",
                    unnamed=isinstance(name, Unknown), fill=FILL)
    return [_model(S3Bucket, raw, view, locs, fields)]


_BUCKET_POLICY = Companion("bucket", "Bucket", ("policy",),
                           lambda v: {"policy": policy(v.get("PolicyDocument"))}, "PolicyDocument")


def _fold_bucket_policy(raw: RawResource, scan: _Scan) -> None:
    fold_companion(_BUCKET_POLICY, View(raw), scan.targets["bucket"], scan.fold, what="bucket")


# --------------------------------------------------------------------------- EC2


def _volume(raw: RawResource, address: str, view: View, loc: Any, tag_value: Any,
            encrypted: str, key: str, snapshot: str) -> EbsVolume:
    unknown = inherited(view, encrypted, (snapshot,))
    kms = as_key(view.get(key))
    enc = (Encryption(enabled=unknown, kms_key=kms) if unknown is not None
           else kms_encryption(as_flag(view.get(encrypted), False, encrypted), kms))
    return EbsVolume(
        address=address, native_type=raw.type, source=raw.source, location=loc,
        field_locations={"encryption": loc} if loc is not None else {},
        name=raw.name or None, tags=common(raw, tag_value)["tags"], encryption=enc,
    )


def _ec2_volume(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    vol = _volume(raw, raw.address, view, None, view.get("Tags"), "Encrypted", "KmsKeyId",
                  "SnapshotId")
    locs = Locations(raw)
    locs.attr("encryption", "Encrypted", "KmsKeyId", "SnapshotId")
    return [replace(vol, location=raw.location, field_locations=locs.freeze())]


def _device_volumes(raw: RawResource, view: View, path: str) -> list[Resource]:
    """One EbsVolume per `BlockDeviceMappings` item with an `Ebs` mapping."""
    devices = view.blocks(path)
    if isinstance(devices, Unknown):
        return []
    loc = raw.attribute_locations.get(path.partition(".")[0], raw.location)
    out: list[Resource] = []
    for i, device in enumerate(devices):
        ebs = device.get("Ebs")
        if not present(ebs):
            continue
        attrs = ebs if isinstance(ebs, Mapping) else {"Encrypted": ebs}
        sub = View(RawResource(raw.address, raw.type, raw.mode, attrs, raw.location, raw.source))
        out.append(_volume(raw, f"{raw.address}/BlockDeviceMappings[{i}]", sub, loc,
                           view.get("Tags"), "Encrypted", "KmsKeyId", "SnapshotId"))
    return out


def _metadata(view: View, prefix: str) -> MetadataOptions:
    return MetadataOptions(
        http_tokens=as_str(view.get(f"{prefix}.HttpTokens"), "optional", "HttpTokens"),
        http_endpoint=as_str(view.get(f"{prefix}.HttpEndpoint"), "enabled", "HttpEndpoint"),
    )


def _instance(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    fields: dict[str, Any] = {
        "image_id": as_str(view.get("ImageId"), None, "ImageId"),
        "public_ip": as_flag(view.get("NetworkInterfaces.AssociatePublicIpAddress"), False,
                             "AssociatePublicIpAddress"),
        "iam_instance_profile": as_key(view.get("IamInstanceProfile")),
        "user_data": as_str(view.get("UserData"), None, "UserData"),
    }
    for name, prop in (("image_id", "ImageId"), ("public_ip", "NetworkInterfaces"),
                       ("iam_instance_profile", "IamInstanceProfile"),
                       ("user_data", "UserData")):
        locs.attr(name, prop)
    # AWS::EC2::Instance has no MetadataOptions: they come from a launch template, if any.
    template_ref = view.get("LaunchTemplate")
    if view.get("MetadataOptions") is not None or template_ref is None:
        fields["metadata_options"] = _metadata(view, "MetadataOptions")
        locs.attr("metadata_options", "MetadataOptions")
    else:
        pointer = coalesce(view.get("LaunchTemplate.LaunchTemplateId"),
                           view.get("LaunchTemplate.LaunchTemplateName"))
        template = scan.target("template", pointer)
        if template is None:
            why = Unknown(f"metadata options come from launch template {_text(pointer)}, "
                          "not in this template")
            fields["metadata_options"] = MetadataOptions(http_tokens=why, http_endpoint=why)
            locs.attr("metadata_options", "LaunchTemplate")
        else:
            fields["metadata_options"] = _metadata(View(template),
                                                   "LaunchTemplateData.MetadataOptions")
            locs.set("metadata_options", template.attribute_locations.get(
                "LaunchTemplateData", template.location))
    volumes = _device_volumes(raw, view, "BlockDeviceMappings")
    return [_model(Ec2Instance, raw, view, locs, fields), *volumes]


def _launch_template(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    data = "LaunchTemplateData"
    fields: dict[str, Any] = {
        "is_template": True,
        "image_id": as_str(view.get(f"{data}.ImageId"), None, "ImageId"),
        "metadata_options": _metadata(view, f"{data}.MetadataOptions"),
        "public_ip": as_flag(view.get(f"{data}.NetworkInterfaces.AssociatePublicIpAddress"),
                             False, "AssociatePublicIpAddress"),
        "iam_instance_profile": as_key(coalesce(view.get(f"{data}.IamInstanceProfile.Arn"),
                                                view.get(f"{data}.IamInstanceProfile.Name"))),
        "user_data": as_str(view.get(f"{data}.UserData"), None, "UserData"),
    }
    for name in ("image_id", "metadata_options", "public_ip", "iam_instance_profile",
                 "user_data"):
        locs.attr(name, data)
    volumes = _device_volumes(raw, view, f"{data}.BlockDeviceMappings")
    return [_model(Ec2Instance, raw, view, locs, fields), *volumes]


# --------------------------------------------------------------------------- RDS


def _storage(view: View, *, default: bool, inherit: Sequence[str]) -> Encryption:
    key = as_key(view.get("KmsKeyId"))
    unknown = inherited(view, "StorageEncrypted", inherit)
    if unknown is not None:
        return Encryption(enabled=unknown, kms_key=key)
    return kms_encryption(as_flag(view.get("StorageEncrypted"), default, "StorageEncrypted"), key)


def _cluster_storage(view: View) -> Encryption:
    mode = as_str(view.get("EngineMode"))
    serverless = isinstance(mode, str) and mode == "serverless"  # always encrypted
    return _storage(view, default=serverless,
                    inherit=("SnapshotIdentifier", "SourceDBClusterIdentifier"))


def _db_instance(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    fields = read(view, locs, _DB_INSTANCE)
    public = view.get("PubliclyAccessible")
    # Unset, AWS decides from the subnets' VPC: public when it has an internet gateway.
    fields["publicly_accessible"] = as_flag(public, Unknown(
        "PubliclyAccessible is not set: AWS makes the instance public when its VPC has an "
        "internet gateway"), "PubliclyAccessible")
    locs.attr("publicly_accessible", "PubliclyAccessible")
    cluster_id = view.get("DBClusterIdentifier")
    if cluster_id is None:
        fields["storage_encryption"] = _storage(
            view, default=False,
            inherit=("DBSnapshotIdentifier", "SourceDBInstanceIdentifier",
                     "SourceDBInstanceAutomatedBackupsArn"))
        locs.attr("storage_encryption", "StorageEncrypted", "KmsKeyId", "DBSnapshotIdentifier",
                  "SourceDBInstanceIdentifier")
    else:
        fields["member_of_cluster"] = True
        cluster = scan.target("cluster", cluster_id)
        if cluster is None:
            fields["storage_encryption"] = Encryption(enabled=Unknown(
                f"storage is configured on cluster {_text(cluster_id)}, not in this template"))
            locs.attr("storage_encryption", "DBClusterIdentifier")
        else:
            cview = View(cluster)
            fields["storage_encryption"] = _cluster_storage(cview)
            fields["backup_retention_days"] = as_int(cview.get("BackupRetentionPeriod"), 1,
                                                     "BackupRetentionPeriod")
            known = cluster.attribute_locations
            locs.set("storage_encryption", known.get("StorageEncrypted", cluster.location))
            locs.set("backup_retention_days",
                     known.get("BackupRetentionPeriod", cluster.location))
    return [_model(DatabaseInstance, raw, view, locs, fields)]


def _db_cluster(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    fields = read(view, locs, _DB_CLUSTER)
    fields["is_cluster"] = True
    fields["storage_encryption"] = _cluster_storage(view)
    locs.attr("storage_encryption", "StorageEncrypted", "KmsKeyId", "SnapshotIdentifier",
              "EngineMode")
    return [_model(DatabaseInstance, raw, view, locs, fields)]


# --------------------------------------------------------------------------- security groups


def _rule(item: Mapping[str, Any] | Unknown, direction: str, path: str = "") -> SecurityGroupRule:
    """One `SecurityGroupIngress`/`Egress` item, or a standalone ingress/egress resource."""
    def get(name: str) -> Any:
        return dig(item, name)

    peer = "SourceSecurityGroupId" if direction == "ingress" else "DestinationSecurityGroupId"
    sources: list[str] = []
    for attr in (peer, "SourceSecurityGroupName", "SourcePrefixListId",
                 "DestinationPrefixListId"):
        found = as_strs(get(attr), (), attr, refs_as_names=True)
        if isinstance(found, tuple):
            sources.extend(found)
    description = as_str(get("Description"), None, "Description")
    return SecurityGroupRule(
        direction=direction,
        protocol=protocol(get("IpProtocol"), "IpProtocol"),
        from_port=as_int(get("FromPort"), None, "FromPort"),
        to_port=as_int(get("ToPort"), None, "ToPort"),
        cidr_blocks=as_strs(get("CidrIp"), (), "CidrIp"),
        ipv6_cidr_blocks=as_strs(get("CidrIpv6"), (), "CidrIpv6"),
        source_security_groups=tuple(sources),
        description=description if isinstance(description, str) else None,
        path=path,
    )


# When a group declares no egress, AWS keeps its default rule: everything to anywhere.
_DEFAULT_EGRESS = SecurityGroupRule(
    direction="egress", protocol="-1", from_port=None, to_port=None,
    cidr_blocks=("0.0.0.0/0",), description="default egress rule (no SecurityGroupEgress)",
)

_STANDALONE_RULES = {"AWS::EC2::SecurityGroupIngress": "ingress",
                     "AWS::EC2::SecurityGroupEgress": "egress"}


def _fold_sg_rule(raw: RawResource, scan: _Scan) -> None:
    view = View(raw)
    whole = raw.attributes.get("__Properties")  # all properties unknown: so is every field
    rule = _rule(whole if isinstance(whole, Unknown) else raw.attributes,
                 _STANDALONE_RULES[raw.type])
    scan.sg_rules[raw.address] = rule
    group = scan.targets["group"].resolve(coalesce(view.get("GroupId"), view.get("GroupName")))
    if isinstance(group, str):
        scan.fold.add(group, "rules", rule, raw.location)
        scan.joined.add(raw.address)


def _sg_rule(raw: RawResource, scan: _Scan) -> list[Resource]:
    """A rule whose group is not in this template is judged on its own."""
    if raw.address in scan.joined or raw.address not in scan.sg_rules:
        return []
    view = View(raw)
    locs = Locations(raw)
    locs.set("rules[0]", raw.location)
    rule = replace(scan.sg_rules[raw.address], path="rules[0]")
    group = coalesce(view.get("GroupId"), view.get("GroupName"))
    return [_model(SecurityGroup, raw, view, locs, {
        "rules": (rule,), "description": f"rule of security group {_text(group)}"})]


def _security_group(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    rules: list[SecurityGroupRule] = []
    unknown: Unknown | None = None
    for direction, prop in (("ingress", "SecurityGroupIngress"),
                            ("egress", "SecurityGroupEgress")):
        items = view.blocks(prop)
        if isinstance(items, Unknown):
            unknown = items
            locs.attr("rules", prop)
            continue
        if direction == "egress" and view.get(prop) is None:
            items_rules = [replace(_DEFAULT_EGRESS, path=f"rules[{len(rules)}]")]
            locs.set(f"rules[{len(rules)}]", raw.location)
            rules.extend(items_rules)
            continue
        for position, item in enumerate(items):
            index = len(rules)
            rules.append(_rule(item, direction, f"rules[{index}]"))
            locs.indexed(f"rules[{index}]", prop, position)  # the list item's own line
    for rule, loc in scan.fold.added(raw.address, "rules"):
        index = len(rules)
        rules.append(replace(rule, path=f"rules[{index}]"))
        locs.set(f"rules[{index}]", loc)
    locs.attr("vpc_id", "VpcId")
    locs.attr("description", "GroupDescription")
    return [_model(SecurityGroup, raw, view, locs, {
        "rules": unknown if unknown is not None else tuple(rules),
        "vpc_id": as_key(view.get("VpcId")),
        "description": as_str(view.get("GroupDescription"), None, "GroupDescription"),
    })]


# --------------------------------------------------------------------------- IAM

# Policy resources: type -> (attached_to, property naming the principal(s), is managed).
_POLICY_TYPES: Mapping[str, tuple[str, str | None]] = {
    "AWS::IAM::ManagedPolicy": ("", None),
    "AWS::IAM::Policy": ("", None),
    "AWS::IAM::RolePolicy": ("role", "RoleName"),
    "AWS::IAM::UserPolicy": ("user", "UserName"),
    "AWS::IAM::GroupPolicy": ("group", "GroupName"),
}
_PRINCIPAL_LISTS = (("user", "Users"), ("role", "Roles"), ("group", "Groups"))


def _fold_policy(raw: RawResource, scan: _Scan) -> None:
    """Policies that name users or roles: inline (`AWS::IAM::Policy`...) or managed."""
    view = View(raw)
    loc = raw.location
    managed = raw.type == "AWS::IAM::ManagedPolicy"
    doc = policy(view.get("PolicyDocument"))
    users = scan.targets["user"]
    roles = scan.targets["role"]
    user_refs = _items(view.get("Users"))
    role_refs = _items(view.get("Roles"))
    if raw.type == "AWS::IAM::UserPolicy":
        user_refs = [view.get("UserName")]
    elif raw.type == "AWS::IAM::RolePolicy":
        role_refs = [view.get("RoleName")]
    for ref in user_refs:
        user = users.resolve(ref)
        if isinstance(user, str):
            scan.fold.add(user, "attached_policies", raw.address, loc)
            if not managed:
                scan.fold.add(user, "inline_policies", raw.address, loc)
    for ref in role_refs:
        role = roles.resolve(ref)
        if not isinstance(role, str):
            continue
        if managed:
            scan.fold.add(role, "managed_policy_arns", raw.address, loc)
        elif isinstance(doc, PolicyDocument):
            scan.fold.add(role, "inline_policies", doc, loc)


def _items(value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    return [] if value is None else [value]


def _policy_resource(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    locs.attr("document", "PolicyDocument")
    attached, prop = _POLICY_TYPES[raw.type]
    principal: Any = None
    if prop is not None:
        principal = view.get(prop)
    elif raw.type == "AWS::IAM::Policy":
        for kind, list_prop in _PRINCIPAL_LISTS:  # users first: they matter most
            names = _items(view.get(list_prop))
            if names:
                attached, principal = kind, names[0]
                break
    return [_model(IamPolicy, raw, view, locs, {
        "document": policy(view.get("PolicyDocument")),
        "attached_to": attached,
        "principal_name": as_name(principal),
    })]


def _inline_policies(raw: RawResource, view: View, attached_to: str,
                     principal: Any) -> tuple[list[Resource], list[PolicyDocument]]:
    """`Policies: [{PolicyName, PolicyDocument}]` of a role, user or group: one IamPolicy each."""
    found = view.blocks("Policies")
    if isinstance(found, Unknown):
        return [], []
    loc = raw.attribute_locations.get("Policies", raw.location)
    out: list[Resource] = []
    docs: list[PolicyDocument] = []
    tag_value = common(raw, view.get("Tags"))["tags"]
    for i, item in enumerate(found):
        doc = policy(item.get("PolicyDocument"))
        if isinstance(doc, PolicyDocument):
            docs.append(doc)
        name = as_str(item.get("PolicyName"), None, "PolicyName")
        out.append(IamPolicy(
            address=f"{raw.address}/Policies[{i}]", native_type=raw.type, source=raw.source,
            location=loc, field_locations={"document": loc},
            name=name if isinstance(name, str) else None, tags=tag_value, document=doc,
            attached_to=attached_to,
            principal_name=principal if principal is not None else raw.address,
        ))
    return out, docs


def _role(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    role_name = as_str(view.get("RoleName"), None, "RoleName")
    policies, docs = _inline_policies(raw, view, "role", role_name)
    docs.extend(d for d, _ in scan.fold.added(raw.address, "inline_policies"))
    managed = as_strs(view.get("ManagedPolicyArns"), (), "ManagedPolicyArns", refs_as_names=True)
    if isinstance(managed, tuple):
        managed += tuple(a for a, _ in scan.fold.added(raw.address, "managed_policy_arns"))
    for name, prop in (("role_name", "RoleName"),
                       ("assume_role_policy", "AssumeRolePolicyDocument"),
                       ("inline_policies", "Policies"),
                       ("managed_policy_arns", "ManagedPolicyArns")):
        locs.attr(name, prop)
    return [_model(IamRole, raw, view, locs, {
        "role_name": role_name,
        "assume_role_policy": policy(view.get("AssumeRolePolicyDocument")),
        "inline_policies": tuple(docs),
        "managed_policy_arns": managed,
    }), *policies]


def _user(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    fold = scan.fold
    user_name = as_str(view.get("UserName"), None, "UserName")
    policies, _ = _inline_policies(raw, view, "user", user_name)
    own_inline = tuple(p.address for p in policies)
    managed = as_strs(view.get("ManagedPolicyArns"), (), "ManagedPolicyArns", refs_as_names=True)
    managed_names = managed if isinstance(managed, tuple) else ("ManagedPolicyArns",)
    folded_attached = tuple(a for a, _ in fold.added(raw.address, "attached_policies"))
    folded_inline = tuple(a for a, _ in fold.added(raw.address, "inline_policies"))
    keys = fold.added(raw.address, "access_keys")
    login = view.get("LoginProfile")
    fields: dict[str, Any] = {
        "user_name": user_name,
        "attached_policies": (*managed_names, *own_inline, *folded_attached),
        "inline_policies": (*own_inline, *folded_inline),
        "access_keys": tuple(a for a, _ in keys),
        "has_console_password": _known_or(login, present(login)),
    }
    locs.attr("user_name", "UserName")
    locs.attr("has_console_password", "LoginProfile")
    if not locs.attr("attached_policies", "ManagedPolicyArns", "Policies"):
        added = fold.added(raw.address, "attached_policies")
        if added:
            locs.set("attached_policies", added[0][1])
    locs.attr("inline_policies", "Policies")
    if keys:
        locs.set("access_keys", keys[0][1])
    fold.apply(raw, fields, locs, ("has_console_password",) if login is not None else (),
               family="user")
    return [_model(IamUser, raw, view, locs, fields), *policies]


def _group(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    return _inline_policies(raw, view, "group", as_str(view.get("GroupName")))[0]


def _fold_access_key(raw: RawResource, scan: _Scan) -> None:
    user = scan.targets["user"].resolve(View(raw).get("UserName"))
    if isinstance(user, str):
        scan.fold.add(user, "access_keys", raw.address, raw.location)


def _access_key(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    locs.attr("user", "UserName")
    locs.attr("active", "Status")
    return [_model(AccessKey, raw, view, locs, {
        "user": as_key(view.get("UserName")),
        "active": on_off(view.get("Status"), True, "Status"),
    })]


# --------------------------------------------------------------------------- the rest


def _trail_events(view: View, scan: _Scan, fields: dict[str, Any], locs: Locations) -> None:
    fields["management_events"], fields["data_events"] = event_flags(
        view.blocks("EventSelectors"), view.blocks("AdvancedEventSelectors"),
        {"mgmt": "IncludeManagementEvents", "data": "DataResources",
         "fields": "FieldSelectors", "field": "Field", "equals": "Equals"})
    for name in ("management_events", "data_events"):
        locs.attr(name, "AdvancedEventSelectors", "EventSelectors")


def _listener_extra(view: View, scan: _Scan, fields: dict[str, Any], locs: Locations) -> None:
    lb = scan.target("lb", view.get("LoadBalancerArn"))
    fields["protocol"] = listener_protocol(view.get("Protocol"), lb, "Type")
    locs.attr("protocol", "Protocol")
    fields["redirects_to_https"] = redirects_to_https(
        view.blocks("DefaultActions"), "Type", "RedirectConfig.Protocol")
    locs.attr("redirects_to_https", "DefaultActions")


def _lambda_extra(view: View, scan: _Scan, fields: dict[str, Any], locs: Locations) -> None:
    env = view.get("Environment")
    if env is not None:
        fields["environment"] = env if isinstance(env, Unknown) else (
            coalesce(as_mapping(view.get("Environment.Variables"), "Variables"), {}))
        locs.attr("environment", "Environment")


def _eks_logs(view: View, scan: _Scan, fields: dict[str, Any], locs: Locations) -> None:
    enabled = view.blocks("Logging.ClusterLogging.EnabledTypes")
    if isinstance(enabled, Unknown):
        fields["log_types"] = enabled
    else:
        types = [as_str(item.get("Type"), None, "Type") for item in enabled]
        unknown = next((t for t in types if isinstance(t, Unknown)), None)
        fields["log_types"] = unknown if unknown is not None else tuple(
            t for t in types if isinstance(t, str))
    locs.attr("log_types", "Logging")


# --------------------------------------------------------------------------- AWS rule pack
#
# Same steps as above for the pack's types: `_PACK_TARGETS` indexed, `_PACK_FOLDERS`
# folded, `_PACK_BUILDERS` built. Every regional resource's region is the stack's
# (`AWS::Region`), known only at deployment.

_PACK_TARGETS: Mapping[str, tuple[str, str | None]] = {
    "AWS::IAM::ManagedPolicy": ("policy", "ManagedPolicyName"),
    "AWS::EC2::VPC": ("vpc", None),
    "AWS::EC2::NetworkAcl": ("nacl", None),
    "AWS::SecretsManager::Secret": ("secret", "Name"),
    "AWS::Backup::BackupPlan": ("backup_plan", None),
    "AWS::Backup::BackupVault": ("backup_vault", "BackupVaultName"),
    "AWS::ApiGateway::RestApi": ("rest_api", "Name"),
    "AWS::ApiGatewayV2::Api": ("http_api", "Name"),
    "AWS::ApiGateway::Stage": ("stage", None),
    "AWS::ApiGatewayV2::Stage": ("stage", None),
    "AWS::Serverless::Api": ("stage", None),
    "AWS::Serverless::HttpApi": ("stage", None),
    "AWS::Redshift::Cluster": ("redshift", "ClusterIdentifier"),
    "AWS::RDS::DBParameterGroup": ("db_params", "DBParameterGroupName"),
    "AWS::RDS::DBClusterParameterGroup": ("cluster_params", "DBClusterParameterGroupName"),
    "AWS::Redshift::ClusterParameterGroup": ("redshift_params", "ParameterGroupName"),
    "AWS::CloudFront::Distribution": ("distribution", None),
    "AWS::KMS::Key": ("kms", None),
    "AWS::Events::Rule": ("event_rule", "Name"),
    "AWS::GuardDuty::Detector": ("detector", None),
}

_REGION = Unknown("the stack's region (AWS::Region) is known only at deployment")
_GLOBAL_TYPES = frozenset({IamPolicy, IamRole, IamUser, AccessKey, CloudFrontDistribution,
                           StackParameter})
_NO_REGION_TYPES = frozenset({"AWS::DynamoDB::GlobalTable"})


def _place(built: list[Resource]) -> list[Resource]:
    return [replace(r, region=_REGION)
            if (r.region is None and type(r) not in _GLOBAL_TYPES
                and r.native_type not in _NO_REGION_TYPES) else r
            for r in built]


def _pack_target(scan: _Scan, family: str, value: Any) -> str | Unknown | None:
    return scan.targets[family].resolve(value)


def _key_value_flags(items: Any, key: str, value: str) -> dict[str, Any] | Unknown:
    """`[{Key: access_logs.s3.enabled, Value: "true"}]` style lists as a mapping."""
    found = blocks(items, key)
    if isinstance(found, Unknown):
        return found
    out: dict[str, Any] = {}
    for item in found:
        name = item.get(key)
        if isinstance(name, Unknown):
            return name
        if isinstance(name, str):
            out[name] = item.get(value)
    return out


# --- data stores and messaging


def _dynamodb(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    on = as_flag(view.get("SSESpecification.SSEEnabled"), False, "SSEEnabled")
    key = as_key(view.get("SSESpecification.KMSMasterKeyId"))
    if on is True:
        enc = Encryption(enabled=True, algorithm="aws:kms", kms_key=key)
    elif isinstance(on, Unknown):
        enc = Encryption(enabled=True, algorithm=on, kms_key=on)
    else:
        enc = Encryption(enabled=True, algorithm="AWS_OWNED")
    locs.attr("encryption", "SSESpecification")
    fields = read(view, locs, {
        "point_in_time_recovery": F(
            "PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled", as_flag, False),
        "deletion_protection": F("DeletionProtectionEnabled", as_flag, False),
    })
    return [_model(DynamoDbTable, raw, view, locs, {**fields, "encryption": enc})]


def _global_table(raw: RawResource, scan: _Scan) -> list[Resource]:
    """A global table: its data lives in exactly its replicas' regions."""
    view = View(raw)
    locs = Locations(raw)
    replicas = view.blocks("Replicas")
    kind = as_upper(view.get("SSESpecification.SSEType"), None, "SSEType")
    on = as_flag(view.get("SSESpecification.SSEEnabled"), False, "SSEEnabled")
    locs.attr("encryption", "SSESpecification")
    for name in ("replica_regions", "point_in_time_recovery", "deletion_protection"):
        locs.attr(name, "Replicas")
    if isinstance(replicas, Unknown):
        return [_model(DynamoDbTable, raw, view, locs, {
            "encryption": Encryption(enabled=True, algorithm=replicas),
            "replica_regions": replicas, "point_in_time_recovery": replicas,
            "deletion_protection": replicas})]
    regions = [as_str(r.get("Region"), None, "Region") for r in replicas]
    pitr = [as_flag(dig(r, "PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled"),
                    False, "PointInTimeRecoveryEnabled") for r in replicas]
    protect = [as_flag(r.get("DeletionProtectionEnabled"), False, "DeletionProtectionEnabled")
               for r in replicas]
    keys = [as_key(dig(r, "SSESpecification.KMSMasterKeyId")) for r in replicas]
    if on is True and kind in (None, "KMS"):
        key: Any = keys[0] if keys and all(k is not None for k in keys) else None
        enc = Encryption(enabled=True, algorithm="aws:kms", kms_key=key)
    elif isinstance(on, Unknown):
        enc = Encryption(enabled=True, algorithm=on, kms_key=on)
    else:
        enc = Encryption(enabled=True, algorithm="AWS_OWNED")
    region_values: tuple[str, ...] | Unknown = next(
        (r for r in regions if isinstance(r, Unknown)), None) or tuple(
        r for r in regions if isinstance(r, str))
    return [_model(DynamoDbTable, raw, view, locs, {
        "encryption": enc, "replica_regions": region_values,
        "point_in_time_recovery": _all(pitr), "deletion_protection": _all(protect)})]


def _all(flags: Sequence[bool | Unknown]) -> bool | Unknown:
    if not flags:
        return False
    for flag in flags:
        if flag is False:
            return False
    unknown = next((f for f in flags if isinstance(f, Unknown)), None)
    return unknown if unknown is not None else True


def _elasticache(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    engine = as_str(view.get("Engine"), "redis", "Engine")
    valkey = isinstance(engine, str) and engine.lower() == "valkey"
    fields = read(view, locs, {
        "at_rest_encryption": F("AtRestEncryptionEnabled", as_flag, valkey),
        "transit_encryption": F("TransitEncryptionEnabled", as_flag, False),
        "kms_key": F("KmsKeyId", as_key),
        "automatic_failover": F("AutomaticFailoverEnabled", as_flag, False),
        "snapshot_retention_days": F("SnapshotRetentionLimit", as_int, 0),
        "auth_token": F("AuthToken", as_str),
        "auto_minor_version_upgrade": F("AutoMinorVersionUpgrade", as_flag, True),
    })
    fields["engine"] = engine
    fields["auth_token_set"] = present(view.get("AuthToken")) or present(
        view.get("UserGroupIds"))
    locs.attr("auth_token_set", "AuthToken", "UserGroupIds")
    return [_model(ElastiCacheReplicationGroup, raw, view, locs, fields)]


def _opensearch(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "encrypt_at_rest": F("EncryptionAtRestOptions.Enabled", as_flag, False),
        "kms_key": F("EncryptionAtRestOptions.KmsKeyId", as_key),
        "node_to_node_encryption": F("NodeToNodeEncryptionOptions.Enabled", as_flag, False),
        "enforce_https": F("DomainEndpointOptions.EnforceHTTPS", as_flag, False),
        "tls_policy": F("DomainEndpointOptions.TLSSecurityPolicy", as_str,
                        "Policy-Min-TLS-1-0-2019-07"),
        "access_policy": F("AccessPolicies", as_policy),
        "master_password": F("AdvancedSecurityOptions.MasterUserOptions.MasterUserPassword",
                             as_str),
    })
    vpc = view.get("VPCOptions")
    fields["in_vpc"] = vpc if isinstance(vpc, Unknown) else present(vpc)
    locs.attr("in_vpc", "VPCOptions")
    audit = view.get("LogPublishingOptions.AUDIT_LOGS")
    fields["audit_logs"] = (False if audit is None else audit if isinstance(audit, Unknown)
                            else as_flag(view.get("LogPublishingOptions.AUDIT_LOGS.Enabled"),
                                         True, "Enabled"))
    locs.attr("audit_logs", "LogPublishingOptions")
    return [_model(OpenSearchDomain, raw, view, locs, fields)]


def _parameters(scan: _Scan, family: str, pointer: Any) -> Mapping[str, Any] | Unknown | None:
    if pointer is None:
        return None
    target = _pack_target(scan, family, pointer)
    group = scan.targets[family].get(target)
    if group is None:
        return target if isinstance(target, Unknown) else Unknown(
            f"parameter group {_text(pointer)} is not in this template")
    view = View(group)
    params = view.get("Parameters")
    if isinstance(params, Unknown):
        return params
    if isinstance(params, Mapping):
        return params
    if isinstance(params, list):  # Redshift: [{ParameterName, ParameterValue}]
        return _key_value_flags(params, "ParameterName", "ParameterValue")
    return {}


def _redshift(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "publicly_accessible": F("PubliclyAccessible", as_flag, False),
        "automated_snapshot_retention_days": F("AutomatedSnapshotRetentionPeriod", as_int, 1),
        "master_password": F("MasterUserPassword", as_str),
        "manages_master_password": F("ManageMasterPassword", as_flag, False),
    })
    # New clusters are encrypted unless told otherwise (AWS default since 2025).
    fields["encryption"] = kms_encryption(as_flag(view.get("Encrypted"), True, "Encrypted"),
                                          as_key(view.get("KmsKeyId")))
    locs.attr("encryption", "Encrypted", "KmsKeyId")
    logging = view.get("LoggingProperties")
    fields["audit_logging"] = logging if isinstance(logging, Unknown) else present(logging)
    locs.attr("audit_logging", "LoggingProperties")
    params = _parameters(scan, "redshift_params", view.get("ClusterParameterGroupName"))
    if params is None:
        fields["require_ssl"] = Unknown(
            "the cluster uses its default parameter group, whose require_ssl depends on when "
            "the cluster was created")
    elif isinstance(params, Unknown):
        fields["require_ssl"] = params
    else:
        fields["require_ssl"] = as_flag(params.get("require_ssl"), False, "require_ssl")
    locs.attr("require_ssl", "ClusterParameterGroupName")
    return [_model(RedshiftCluster, raw, view, locs, fields)]


def _efs_extra(view: View, scan: _Scan, fields: dict[str, Any], locs: Locations) -> None:
    fields["encryption"] = kms_encryption(as_flag(view.get("Encrypted"), False, "Encrypted"),
                                          as_key(view.get("KmsKeyId")))
    locs.attr("encryption", "Encrypted", "KmsKeyId")


def _kinesis_extra(view: View, scan: _Scan, fields: dict[str, Any], locs: Locations) -> None:
    spec = view.get("StreamEncryption")
    kind = as_upper(view.get("StreamEncryption.EncryptionType"), "NONE", "EncryptionType")
    on: bool | Unknown = kind if isinstance(kind, Unknown) else kind == "KMS"
    if isinstance(spec, Unknown):
        on = spec
    fields["encryption"] = kms_encryption(on, as_key(view.get("StreamEncryption.KeyId")))
    locs.attr("encryption", "StreamEncryption")


def _sqs_extra(view: View, scan: _Scan, fields: dict[str, Any], locs: Locations) -> None:
    key = as_key(view.get("KmsMasterKeyId"))
    if key is not None:
        fields["encryption"] = Encryption(enabled=True, algorithm="aws:kms", kms_key=key)
    else:
        managed = as_flag(view.get("SqsManagedSseEnabled"), True, "SqsManagedSseEnabled")
        fields["encryption"] = Encryption(enabled=managed, algorithm="SQS_MANAGED")
    locs.attr("encryption", "KmsMasterKeyId", "SqsManagedSseEnabled")


def _secret(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    fields: dict[str, Any] = read(view, locs, {"kms_key": F("KmsKeyId", as_key)})
    fields["rotation_enabled"] = False
    fields["rotation_days"] = None
    scan.fold.apply(raw, fields, locs, family="secret",
                    unnamed=isinstance(view.get("Name"), Unknown))
    return [_model(SecretsManagerSecret, raw, view, locs, fields)]


def _rotation_days(view: View) -> int | Unknown | None:
    days = view.get("RotationRules.AutomaticallyAfterDays")
    if days is not None:
        return as_int(days, None, "AutomaticallyAfterDays")
    expression = view.get("RotationRules.ScheduleExpression")
    if expression is None:
        return 30  # the default of the rotation rules
    return schedule_interval_days(expression)


def _fold_rotation(raw: RawResource, scan: _Scan) -> None:
    fold_companion(Companion(
        "secret", "SecretId", ("rotation_enabled", "rotation_days"),
        lambda v: {"rotation_enabled": True, "rotation_days": _rotation_days(v)},
        "RotationRules"), View(raw), scan.targets["secret"], scan.fold, what="secret")


def _ssm_parameter(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "parameter_name": F("Name", as_str),
        "parameter_type": F("Type", as_str),
        "value": F("Value", as_str),
    })
    return [_model(SsmParameter, raw, view, locs, fields)]


# --- backup


_CFN_BACKUP_KEYS = {"name": "RuleName", "copy": "CopyActions", "dest": "DestinationBackupVaultArn",
                    "schedule": "ScheduleExpression", "delete": "Lifecycle.DeleteAfterDays"}


def _backup_plan(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    found = view.blocks("BackupPlan.BackupPlanRule")
    rules: tuple[BackupRule, ...] | Unknown
    if isinstance(found, Unknown):
        rules = found
    else:
        out: list[BackupRule] = []
        for i, block in enumerate(found):
            name = as_str(block.get("RuleName"), f"rule {i}", "RuleName")
            copies = blocks(block.get("CopyActions"), "CopyActions")
            destinations: tuple[str, ...] | Unknown
            if isinstance(copies, Unknown):
                destinations = copies
            else:
                dests = [ref_text(c.get("DestinationBackupVaultArn")) for c in copies]
                destinations = (tuple(t for t in dests if t is not None)
                                if all(t is not None for t in dests)
                                else Unknown("a copy destination is not known before deployment"))
            out.append(BackupRule(
                name=name if isinstance(name, str) else f"rule {i}",
                schedule=as_str(block.get("ScheduleExpression"), None, "ScheduleExpression"),
                retention_days=as_int(dig(block, "Lifecycle.DeleteAfterDays"), None,
                                      "DeleteAfterDays"),
                copy_destinations=destinations, path=f"rules[{i}]"))
        rules = tuple(out)
    locs.attr("rules", "BackupPlan")
    selections: tuple[str, ...] | Unknown = tuple(
        str(s) for s, _ in scan.fold.added(raw.address, "selections"))
    if not selections and scan.unknown_selections is not None:
        selections = scan.unknown_selections
    return [_model(BackupPlan, raw, view, locs, {"rules": rules, "selections": selections})]


def _fold_selection(raw: RawResource, scan: _Scan) -> None:
    plan = _pack_target(scan, "backup_plan", View(raw).get("BackupPlanId"))
    if isinstance(plan, str):
        scan.fold.add(plan, "selections", raw.address, raw.location)
    elif isinstance(plan, Unknown):
        scan.unknown_selections = Unknown(
            f"{raw.address} selects resources for a plan not known before deployment")


def _backup_vault(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "kms_key": F("EncryptionKeyArn", as_key),
        "min_retention_days": F("LockConfiguration.MinRetentionDays", as_int),
        "notification_events": F("Notifications.BackupVaultEvents", as_strs, ()),
    })
    lock = view.get("LockConfiguration")
    fields["locked"] = lock if isinstance(lock, Unknown) else present(lock)
    locs.attr("locked", "LockConfiguration")
    return [_model(BackupVault, raw, view, locs, fields)]


def _restore_testing(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    fields = read(view, locs, {"schedule": F("ScheduleExpression", as_str)})
    fields["interval_days"] = schedule_interval_days(view.get("ScheduleExpression"))
    locs.attr("interval_days", "ScheduleExpression")
    return [_model(RestoreTestingPlan, raw, view, locs, fields)]


# --- edge, APIs, certificates


def _cloudfront(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    cfg = "DistributionConfig"
    behaviours = view.blocks(f"{cfg}.CacheBehaviors")
    viewer: tuple[str, ...] | Unknown
    default = view.get(f"{cfg}.DefaultCacheBehavior.ViewerProtocolPolicy")
    if isinstance(behaviours, Unknown):
        viewer = behaviours
    else:
        found = [default, *(b.get("ViewerProtocolPolicy") for b in behaviours)]
        viewer = as_strs([p for p in found if p is not None], (), "ViewerProtocolPolicy")
    origins = view.blocks(f"{cfg}.Origins")
    origin_policies: tuple[str, ...] | Unknown
    if isinstance(origins, Unknown):
        origin_policies = origins
    else:
        found = [dig(o, "CustomOriginConfig.OriginProtocolPolicy") for o in origins]
        origin_policies = as_strs([p for p in found if p is not None], (),
                                  "OriginProtocolPolicy")
    cert = f"{cfg}.ViewerCertificate"
    custom = coalesce(view.get(f"{cert}.AcmCertificateArn"),
                      view.get(f"{cert}.IamCertificateId"))
    default_cert = as_flag(view.get(f"{cert}.CloudFrontDefaultCertificate"),
                           custom is None, "CloudFrontDefaultCertificate")
    logging = view.get(f"{cfg}.Logging")
    fields: dict[str, Any] = {
        "viewer_protocol_policies": viewer,
        "origin_protocol_policies": origin_policies,
        "uses_default_certificate": False if custom is not None else default_cert,
        "minimum_protocol_version": as_str(view.get(f"{cert}.MinimumProtocolVersion"), "TLSv1",
                                           "MinimumProtocolVersion"),
        "access_logging": logging if isinstance(logging, Unknown) else present(logging),
        "web_acl": as_key(view.get(f"{cfg}.WebACLId")),
        "aliases": as_strs(view.get(f"{cfg}.Aliases"), (), "Aliases"),
    }
    for name in fields:
        locs.attr(name, cfg)
    scan.fold.apply(raw, fields, locs, ("access_logging",) if fields["access_logging"] is True
                    else (), family="distribution")
    return [_model(CloudFrontDistribution, raw, view, locs, fields)]


def _fold_delivery_source(raw: RawResource, scan: _Scan) -> None:
    view = View(raw)
    if as_str(view.get("LogType"), None, "LogType") != "ACCESS_LOGS":
        return
    pointer = view.get("ResourceArn")
    refs = [pointer]
    if isinstance(pointer, PartialString):
        refs = [p for p in pointer.parts if isinstance(p, Reference)]
    for ref in refs:
        target = _pack_target(scan, "distribution", ref)
        if isinstance(target, str):
            scan.fold.set(target, "access_logging", True, raw.location)


def _throttled(rate: Any, burst: Any) -> bool | Unknown:
    values = [as_int(v, None, "throttling") for v in (rate, burst) if v is not None]
    unknown = next((v for v in values if isinstance(v, Unknown)), None)
    if unknown is not None:
        return unknown
    return any(isinstance(v, int) and v >= 0 for v in values)


def _method_settings_throttled(found: list[Mapping[str, Any]] | Unknown) -> bool | Unknown:
    if isinstance(found, Unknown):
        return found
    result: bool | Unknown = False
    for item in found:
        flag = _throttled(item.get("ThrottlingRateLimit"), item.get("ThrottlingBurstLimit"))
        if flag is True:
            return True
        if isinstance(flag, Unknown):
            result = flag
    return result


def _http_protocol(scan: _Scan, pointer: Any) -> Any:
    api = scan.targets["http_api"].get(_pack_target(scan, "http_api", pointer))
    if api is None:
        return Unknown(f"API {_text(pointer)} is not in this template")
    return as_upper(View(api).get("ProtocolType"), None, "ProtocolType")


def _stage(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    kind = raw.type
    fields: dict[str, Any]
    if kind in ("AWS::ApiGateway::Stage", "AWS::Serverless::Api"):
        fields = {
            "api_id": as_key(view.get("RestApiId")) if kind.endswith("Stage") else raw.address,
            "access_logging": _known_or(view.get("AccessLogSetting"),
                                        present(view.get("AccessLogSetting"))),
            "tracing": as_flag(view.get("TracingEnabled"), False, "TracingEnabled"),
            "throttling_configured": _method_settings_throttled(view.blocks("MethodSettings")),
            "protocol": "REST",
        }
        locs.attr("access_logging", "AccessLogSetting")
        locs.attr("tracing", "TracingEnabled")
        locs.attr("throttling_configured", "MethodSettings")
    else:  # ApiGatewayV2::Stage, Serverless::HttpApi
        settings = view.get("AccessLogSettings")
        fields = {
            "api_id": as_key(view.get("ApiId")) if kind.endswith("Stage") else raw.address,
            "access_logging": _known_or(settings, present(settings)),
            "tracing": False,
            "throttling_configured": _throttled(
                view.get("DefaultRouteSettings.ThrottlingRateLimit"),
                view.get("DefaultRouteSettings.ThrottlingBurstLimit")),
            "protocol": (_http_protocol(scan, view.get("ApiId")) if kind.endswith("Stage")
                         else "HTTP"),
        }
        locs.attr("access_logging", "AccessLogSettings")
        locs.attr("throttling_configured", "DefaultRouteSettings")
    scan.fold.apply(raw, fields, locs,
                    ("throttling_configured",) if fields["throttling_configured"] is True else (),
                    family="stage")
    return [_model(ApiGatewayStage, raw, view, locs, fields)]


def _fold_usage_plan(raw: RawResource, scan: _Scan) -> None:
    view = View(raw)
    throttled = _throttled(view.get("Throttle.RateLimit"), view.get("Throttle.BurstLimit"))
    if throttled is False:
        return
    entries = view.blocks("ApiStages")
    if isinstance(entries, Unknown):
        return
    for entry in entries:
        stage = entry.get("Stage")
        target = _pack_target(scan, "stage", stage)
        if not isinstance(target, str):
            target = _stage_by_name(scan, entry.get("ApiId"), stage)
        if isinstance(target, str):
            scan.fold.set(target, "throttling_configured", throttled, raw.location)


def _stage_by_name(scan: _Scan, api: Any, stage: Any) -> str | None:
    if not isinstance(stage, str):
        return None
    api_target = _pack_target(scan, "rest_api", api)
    for address, stage_raw in scan.targets["stage"].by_address.items():
        sview = View(stage_raw)
        if sview.get("StageName") != stage:
            continue
        if api_target is None or _pack_target(scan, "rest_api",
                                              sview.get("RestApiId")) == api_target:
            return address
    return None


def _fold_waf(raw: RawResource, scan: _Scan) -> None:
    view = View(raw)
    pointer = view.get("ResourceArn")
    refs = [pointer]
    if isinstance(pointer, PartialString):
        refs = [p for p in pointer.parts if isinstance(p, Reference)]
    for ref in refs:
        target = _pack_target(scan, "stage", ref)
        if isinstance(target, str):
            scan.fold.set(target, "web_acl", as_key(view.get("WebACLArn")), raw.location)


def _method(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    v2 = raw.type == "AWS::ApiGatewayV2::Route"
    api_key = "ApiId" if v2 else "RestApiId"
    family = "http_api" if v2 else "rest_api"
    api = scan.targets[family].get(_pack_target(scan, family, view.get(api_key)))
    fields = read(view, locs, {
        "http_method": F("RouteKey" if v2 else "HttpMethod", as_str),
        "authorization_type": F("AuthorizationType", as_upper, "NONE"),
        "api_key_required": F("ApiKeyRequired", as_flag, False),
    })
    fields["api_id"] = as_key(view.get(api_key))
    fields["protocol"] = _http_protocol(scan, view.get(api_key)) if v2 else "REST"
    fields["api_public_by_tag"] = (public_by_tag(View(api).get("Tags"))
                                   if api is not None else False)
    return [_model(ApiGatewayMethod, raw, view, locs, fields)]


def _acm(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "domain_name": F("DomainName", as_str),
        "key_algorithm": F("KeyAlgorithm", as_str, "RSA_2048"),
    })
    private_ca = present(view.get("CertificateAuthorityArn"))
    # Unset, ACM validates by email (RequestCertificate's default).
    method = as_upper(view.get("ValidationMethod"), "EMAIL", "ValidationMethod")
    fields["validation_method"] = None if private_ca else method
    locs.attr("validation_method", "ValidationMethod")
    return [_model(AcmCertificate, raw, view, locs, fields)]


# --- network


def _vpc(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    fields: dict[str, Any] = {"vpc_id": raw.address, "default_sg_restricted": None}
    scan.fold.apply(raw, fields, locs, family="vpc")
    return [_model(Vpc, raw, view, locs, fields)]


def _default_group_vpc(value: Any) -> str | None:
    """The VPC whose default security group `value` names (`!GetAtt Vpc.DefaultSecurityGroup`)."""
    if isinstance(value, Reference) and value.attribute == "DefaultSecurityGroup":
        return value.target
    return None


def _fold_restrict_default_sg(raw: RawResource, scan: _Scan) -> None:
    """CDK's `Custom::VpcRestrictDefaultSG` removes the default group's rules."""
    vpc = _default_group_vpc(View(raw).get("DefaultSecurityGroupId"))
    if vpc is not None and vpc in scan.targets["vpc"].by_address:
        scan.fold.set(vpc, "default_sg_restricted", True, raw.location)


def _fold_default_sg_rule(raw: RawResource, scan: _Scan) -> None:
    """An ingress/egress rule added to a VPC's default security group."""
    vpc = _default_group_vpc(View(raw).get("GroupId"))
    if vpc is not None and vpc in scan.targets["vpc"].by_address:
        scan.default_sg_rules.add(vpc)
        scan.fold.set(vpc, "default_sg_restricted", False, raw.location)


def _flow_log(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    pointer = view.get("ResourceId")
    fields = {"target": pointer.target if isinstance(pointer, Reference) else as_key(pointer),
              "traffic_type": as_str(view.get("TrafficType"), "ALL", "TrafficType")}
    locs.attr("target", "ResourceId")
    return [_model(FlowLog, raw, view, locs, fields)]


def _nacl_entry(view: View, path: str) -> NetworkAclRule:
    egress = as_flag(view.get("Egress"), False, "Egress")
    number = as_int(view.get("RuleNumber"), None, "RuleNumber")
    action = as_str(view.get("RuleAction"), Unknown("RuleAction not set"), "RuleAction")
    return NetworkAclRule(
        egress=egress is True,
        rule_number=Unknown("RuleNumber not set") if number is None else number,
        action=(egress if isinstance(egress, Unknown)
                else action.lower() if isinstance(action, str)
                else action if isinstance(action, Unknown) else "allow"),
        protocol=protocol(view.get("Protocol"), "Protocol"),
        from_port=as_int(view.get("PortRange.From"), None, "From"),
        to_port=as_int(view.get("PortRange.To"), None, "To"),
        cidr_block=as_str(view.get("CidrBlock"), None, "CidrBlock"),
        ipv6_cidr_block=as_str(view.get("Ipv6CidrBlock"), None, "Ipv6CidrBlock"),
        path=path,
    )


def _fold_nacl_entry(raw: RawResource, scan: _Scan) -> None:
    view = View(raw)
    rule = _nacl_entry(view, "rules[0]")
    scan.nacl_rules[raw.address] = rule
    target = _pack_target(scan, "nacl", view.get("NetworkAclId"))
    if isinstance(target, str):
        scan.fold.add(target, "rules", rule, raw.location)
        scan.joined.add(raw.address)


def _nacl(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    rules: list[NetworkAclRule] = []
    for rule, loc in scan.fold.added(raw.address, "rules"):
        index = len(rules)
        rules.append(replace(rule, path=f"rules[{index}]"))
        locs.set(f"rules[{index}]", loc)
    return [_model(NetworkAcl, raw, view, locs, {"rules": tuple(rules)})]


def _standalone_nacl_entry(raw: RawResource, scan: _Scan) -> list[Resource]:
    if raw.address in scan.joined or raw.address not in scan.nacl_rules:
        return []
    view = View(raw)
    locs = Locations(raw)
    locs.set("rules[0]", raw.location)
    return [_model(NetworkAcl, raw, view, locs, {"rules": (scan.nacl_rules[raw.address],)})]


def _values(items: Any, what: str) -> list[Any] | Unknown | None:
    """`[{Value: x}, ...]` -> [x, ...]; None when unset or empty."""
    found = blocks(items, what)
    if isinstance(found, Unknown):
        return found
    if not found:
        return None
    return [item.get("Value") for item in found]


def _vpn(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    specs = view.blocks("VpnTunnelOptionsSpecifications")
    if isinstance(specs, Unknown):
        return [_model(VpnConnection, raw, view, locs, {"tunnels": specs})]
    tunnels: list[VpnTunnel] = []
    for i in range(2):
        spec: Mapping[str, Any] = specs[i] if i < len(specs) else {}
        versions = _values(spec.get("IKEVersions"), "IKEVersions")
        tunnels.append(VpnTunnel(
            ike_versions=(versions if versions is None or isinstance(versions, Unknown)
                          else as_strs(versions, (), "IKEVersions")),
            phase1_dh_groups=_ints(_values(spec.get("Phase1DHGroupNumbers"), "Phase1")),
            phase2_dh_groups=_ints(_values(spec.get("Phase2DHGroupNumbers"), "Phase2")),
            path=f"tunnels[{i}]",
        ))
        locs.attr(f"tunnels[{i}]", "VpnTunnelOptionsSpecifications")
    return [_model(VpnConnection, raw, view, locs, {"tunnels": tuple(tunnels)})]


def _ints(values: list[Any] | Unknown | None) -> tuple[int, ...] | Unknown | None:
    if values is None or isinstance(values, Unknown):
        return values
    out: list[int] = []
    for value in values:
        number = as_int(value, None, "DHGroupNumber")
        if isinstance(number, Unknown):
            return number
        if isinstance(number, int):
            out.append(number)
    return tuple(out)


def _load_balancer(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    if raw.type == "AWS::ElasticLoadBalancing::LoadBalancer":
        fields: dict[str, Any] = {
            "lb_type": "classic",
            "internal": as_str(view.get("Scheme"), "internet-facing", "Scheme") == "internal",
            "access_logging": as_flag(view.get("AccessLoggingPolicy.Enabled"), False, "Enabled"),
        }
        locs.attr("access_logging", "AccessLoggingPolicy")
    else:
        scheme = as_str(view.get("Scheme"), "internet-facing", "Scheme")
        attrs = _key_value_flags(view.get("LoadBalancerAttributes"), "Key", "Value")
        logging: Any = (attrs if isinstance(attrs, Unknown)
                        else as_flag(attrs.get("access_logs.s3.enabled"), False, "access_logs"))
        fields = {
            "lb_type": as_str(view.get("Type"), "application", "Type"),
            "internal": scheme if isinstance(scheme, Unknown) else scheme == "internal",
            "access_logging": logging,
        }
        locs.attr("access_logging", "LoadBalancerAttributes")
    locs.attr("internal", "Scheme")
    return [_model(LoadBalancer, raw, view, locs, fields)]


# --- monitoring and governance


def _metric_filter(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    group = view.get("LogGroupName")
    fields = read(view, locs, {
        "pattern": F("FilterPattern", as_str),
        "metric_name": F("MetricTransformations.MetricName", as_str),
        "metric_namespace": F("MetricTransformations.MetricNamespace", as_str),
    })
    fields["log_group"] = group.target if isinstance(group, Reference) else as_key(group)
    locs.attr("log_group", "LogGroupName")
    return [_model(MetricFilter, raw, view, locs, fields)]


def _metric_alarm(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "alarm_name": F("AlarmName", as_str),
        "metric_name": F("MetricName", as_str),
        "metric_namespace": F("Namespace", as_str),
        "actions_enabled": F("ActionsEnabled", as_flag, True),
    })
    fields["alarm_actions"] = texts(view.get("AlarmActions"), "AlarmActions")
    locs.attr("alarm_actions", "AlarmActions")
    metrics = view.blocks("Metrics")
    if isinstance(metrics, list) and fields["metric_name"] is None:
        names = [dig(m, "MetricStat.Metric.MetricName") for m in metrics]
        spaces = [dig(m, "MetricStat.Metric.Namespace") for m in metrics]
        fields["metric_name"] = as_str(next((n for n in names if n is not None), None))
        fields["metric_namespace"] = as_str(next((n for n in spaces if n is not None), None))
    return [_model(MetricAlarm, raw, view, locs, fields)]


def _event_rule(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    pattern = view.get("EventPattern")
    text: Any = pattern
    if isinstance(pattern, Mapping | list):
        text = json.dumps(plain(pattern), sort_keys=True)
    elif pattern is not None and not isinstance(pattern, str | Unknown):
        text = Unknown("EventPattern is not JSON")
    state = as_upper(view.get("State"), "ENABLED", "State")
    found = view.blocks("Targets")
    targets: tuple[str, ...] | Unknown = found if isinstance(found, Unknown) else tuple(
        ref_text(t.get("Arn")) or f"{raw.address}/Targets[{i}]" for i, t in enumerate(found))
    fields = {"pattern": text, "targets": targets,
              "enabled": state if isinstance(state, Unknown) else state != "DISABLED"}
    locs.attr("pattern", "EventPattern")
    locs.attr("targets", "Targets")
    return [_model(EventRule, raw, view, locs, fields)]


def _recorder(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    group = "RecordingGroup"
    all_supported = as_flag(view.get(f"{group}.AllSupported"), True, "AllSupported")
    strategy = as_str(view.get(f"{group}.RecordingStrategy.UseOnly"), None, "UseOnly")
    if isinstance(strategy, str) and strategy != "ALL_SUPPORTED_RESOURCE_TYPES":
        all_supported = False
    elif isinstance(strategy, Unknown):
        all_supported = strategy
    fields = {
        "all_supported": all_supported,
        "include_global_resources": as_flag(view.get(f"{group}.IncludeGlobalResourceTypes"),
                                            False, "IncludeGlobalResourceTypes"),
        "recording": None,  # CloudFormation starts the recorder with its delivery channel
    }
    for name in ("all_supported", "include_global_resources"):
        locs.attr(name, group)
    return [_model(ConfigRecorder, raw, view, locs, fields)]


def _detector(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    fields: dict[str, Any] = read(view, locs, {"enabled": F("Enable", as_flag, True)})
    found = view.blocks("Features")
    features: dict[str, bool] = {}
    unknown: Unknown | None = found if isinstance(found, Unknown) else None
    for item in [] if isinstance(found, Unknown) else found:
        name = as_str(item.get("Name"), None, "Name")
        status = as_upper(item.get("Status"), None, "Status")
        if isinstance(name, Unknown) or isinstance(status, Unknown):
            unknown = name if isinstance(name, Unknown) else status  # type: ignore[assignment]
        elif name is not None:
            features[name] = status == "ENABLED"
    for name, (value, loc) in scan.detector_features.get(raw.address, {}).items():
        if isinstance(value, Unknown):
            unknown = value
        else:
            features[name] = value
        locs.set("features", loc)
    locs.attr("features", "Features")
    fields["features"] = unknown if unknown is not None else MappingProxyType(features)
    return [_model(GuardDutyDetector, raw, view, locs, fields)]


def _fold_detector_feature(raw: RawResource, scan: _Scan) -> None:
    view = View(raw)
    target = _pack_target(scan, "detector", view.get("DetectorId"))
    name = as_str(view.get("Name"), None, "Name")
    status = as_upper(view.get("Status"), None, "Status")
    if not isinstance(target, str) or name is None:
        return
    value: bool | Unknown = (name if isinstance(name, Unknown) else status
                             if isinstance(status, Unknown) else status == "ENABLED")
    key = name if isinstance(name, str) else "?"
    scan.detector_features.setdefault(target, {})[key] = (value, raw.location)


def _codebuild(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "privileged_mode": F("Environment.PrivilegedMode", as_flag, False),
        "kms_key": F("EncryptionKey", as_key),
    })
    cw = as_upper(view.get("LogsConfig.CloudWatchLogs.Status"), "ENABLED", "Status")
    s3 = as_upper(view.get("LogsConfig.S3Logs.Status"), "DISABLED", "Status")
    if isinstance(cw, Unknown) or isinstance(s3, Unknown):
        fields["logs_enabled"] = cw if isinstance(cw, Unknown) else s3
    else:
        fields["logs_enabled"] = cw == "ENABLED" or s3 == "ENABLED"
    locs.attr("logs_enabled", "LogsConfig")
    found = view.blocks("Environment.EnvironmentVariables")
    env: Any
    if isinstance(found, Unknown):
        env = found
    else:
        env = {}
        for item in found:
            name = item.get("Name")
            kind = as_upper(item.get("Type"), "PLAINTEXT", "Type")
            if isinstance(name, Unknown) or isinstance(kind, Unknown):
                env = name if isinstance(name, Unknown) else kind
                break
            if isinstance(name, str) and kind == "PLAINTEXT":
                env[name] = item.get("Value")
        if isinstance(env, dict):
            env = MappingProxyType(env)
    fields["plaintext_env"] = env
    locs.attr("plaintext_env", "Environment")
    return [_model(CodeBuildProject, raw, view, locs, fields)]


def _stack_parameter(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    locs = Locations(raw)
    name = raw.address.removeprefix("Parameters.")
    fields = read(view, locs, {
        "no_echo": F("NoEcho", as_flag, False),
        "parameter_type": F("Type", as_str),
        "default": F("Default", as_str),
    })
    return [StackParameter(address=raw.address, native_type=raw.type, source=raw.source,
                           location=raw.location, field_locations=locs.freeze(), name=name,
                           parameter_name=name, **fields)]


# --- additions to the builders above


def _kms_pack(raw: RawResource, scan: _Scan, built: list[Resource]) -> list[Resource]:
    view = View(raw)
    replicas = tuple(str(a) for a, _ in scan.fold.added(raw.address, "replicas"))
    changes: dict[str, Any] = {
        "multi_region": as_flag(view.get("MultiRegion"), False, "MultiRegion"),
        "origin": as_upper(view.get("Origin"), "AWS_KMS", "Origin"),
        "replicas": replicas,
    }
    return [replace(r, **changes) if isinstance(r, KmsKey) else r for r in built]


def _fold_replica_key(raw: RawResource, scan: _Scan) -> None:
    target = _pack_target(scan, "kms", View(raw).get("PrimaryKeyArn"))
    if isinstance(target, str):
        scan.fold.add(target, "replicas", raw.address, raw.location)


def _db_pack(raw: RawResource, scan: _Scan, built: list[Resource]) -> list[Resource]:
    view = View(raw)
    out: list[Resource] = []
    for res in built:
        if not isinstance(res, DatabaseInstance):
            out.append(res)
            continue
        version = as_str(view.get("EngineVersion"), None, "EngineVersion")
        changes: dict[str, Any] = {
            "engine_version": version,
            "master_password": as_str(view.get("MasterUserPassword"), None,
                                      "MasterUserPassword"),
            "manages_master_password": as_flag(view.get("ManageMasterUserPassword"), False,
                                               "ManageMasterUserPassword"),
        }
        locs = dict(res.field_locations)
        for field, attr in (("master_password", "MasterUserPassword"),
                            ("require_tls", "DBParameterGroupName"),
                            ("require_tls", "DBClusterParameterGroupName")):
            if attr in raw.attribute_locations:
                locs[field] = raw.attribute_locations[attr]
        if res.member_of_cluster:
            cluster = view.get("DBClusterIdentifier")
            changes["cluster"] = (cluster.target if isinstance(cluster, Reference)
                                  else as_key(cluster))
            changes["require_tls"] = None
        elif res.is_cluster:
            changes["require_tls"] = database_requires_tls(res.engine, version, _parameters(
                scan, "cluster_params", view.get("DBClusterParameterGroupName")))
        else:
            changes["require_tls"] = database_requires_tls(res.engine, version, _parameters(
                scan, "db_params", view.get("DBParameterGroupName")))
        out.append(replace(res, **changes, field_locations=MappingProxyType(locs)))
    return out


def _role_pack(raw: RawResource, scan: _Scan, built: list[Resource]) -> list[Resource]:
    duration = as_int(View(raw).get("MaxSessionDuration"), 3600, "MaxSessionDuration")
    out: list[Resource] = []
    for res in built:
        if isinstance(res, IamRole):
            locs = dict(res.field_locations)
            if "MaxSessionDuration" in raw.attribute_locations:
                locs["max_session_duration"] = raw.attribute_locations["MaxSessionDuration"]
            res = replace(res, max_session_duration=duration,
                          field_locations=MappingProxyType(locs))
        out.append(res)
    return out


def _fold_policy_users(raw: RawResource, scan: _Scan) -> None:
    """A managed policy's `Users`/`Groups`/`Roles`, and principals' `ManagedPolicyArns`."""
    view = View(raw)
    if raw.type == "AWS::IAM::ManagedPolicy":
        for kind, prop in (("user", "Users"), ("group", "Groups"), ("role", "Roles")):
            for item in _items(view.get(prop)):
                name = as_name(item)
                scan.fold.add(raw.address, "attachments",
                              f"{kind}:{name if isinstance(name, str) else '?'}", raw.location)
        return
    kind = {"AWS::IAM::User": "user", "AWS::IAM::Group": "group",
            "AWS::IAM::Role": "role"}[raw.type]
    for arn in _items(view.get("ManagedPolicyArns")):
        target = _pack_target(scan, "policy", arn)
        if isinstance(target, str):
            scan.fold.add(target, "attachments", f"{kind}:{raw.address}", raw.location)


def _policy_pack(raw: RawResource, scan: _Scan, built: list[Resource]) -> list[Resource]:
    found = scan.fold.added(raw.address, "attachments")
    if not found:
        return built
    names = tuple(dict.fromkeys(str(a) for a, _ in found))
    return [replace(r, attachments=names) if isinstance(r, IamPolicy) else r for r in built]


def _trail_pack(raw: RawResource, scan: _Scan, built: list[Resource]) -> list[Resource]:
    view = View(raw)
    excluded, resources = _trail_selectors(view.blocks("EventSelectors"),
                                           view.blocks("AdvancedEventSelectors"))
    return [replace(r, sns_topic=as_key(view.get("SnsTopicName")),
                    excluded_event_sources=excluded, data_event_resources=resources)
            if isinstance(r, CloudTrail) else r for r in built]


def _trail_selectors(basic: list[Mapping[str, Any]] | Unknown,
                     advanced: list[Mapping[str, Any]] | Unknown,
                     ) -> tuple[tuple[str, ...] | Unknown, tuple[str, ...] | Unknown]:
    if isinstance(advanced, Unknown):
        return advanced, advanced
    if advanced:
        excluded: list[str] = []
        resources: list[str] = []
        for selector in advanced:
            found = blocks(selector.get("FieldSelectors"), "FieldSelectors")
            if isinstance(found, Unknown):
                return found, found
            by_field = {fs.get("Field"): fs for fs in found if isinstance(fs.get("Field"), str)}
            category = as_strs((by_field.get("eventCategory") or {}).get("Equals"), (), "Equals")
            if isinstance(category, Unknown):
                return category, category
            if "Management" in category:
                not_sources = as_strs((by_field.get("eventSource") or {}).get("NotEquals"), (),
                                      "NotEquals")
                if isinstance(not_sources, Unknown):
                    return not_sources, not_sources
                excluded.extend(not_sources)
            if "Data" in category:
                kinds = as_strs((by_field.get("resources.type") or {}).get("Equals"), (),
                                "Equals")
                if isinstance(kinds, Unknown):
                    return tuple(excluded), kinds
                if "AWS::S3::Object" not in kinds:
                    continue
                arn = by_field.get("resources.ARN")
                if arn is None:
                    resources.append("*")
                    continue
                values = texts(coalesce(arn.get("StartsWith"), arn.get("Equals")),
                                "resources.ARN")
                if isinstance(values, Unknown):
                    return tuple(excluded), values
                resources.extend(s3_prefix(v) for v in values)
        return tuple(excluded), tuple(resources)
    if isinstance(basic, Unknown):
        return basic, basic
    excluded_b: list[str] = []
    resources_b: list[str] = []
    for selector in basic:
        found_x = as_strs(selector.get("ExcludeManagementEventSources"), (),
                          "ExcludeManagementEventSources")
        if isinstance(found_x, Unknown):
            return found_x, found_x
        excluded_b.extend(found_x)
        data = blocks(selector.get("DataResources"), "DataResources")
        if isinstance(data, Unknown):
            return tuple(excluded_b), data
        for item in data:
            if as_str(item.get("Type")) != "AWS::S3::Object":
                continue
            values = texts(item.get("Values"), "DataResources.Values")
            if isinstance(values, Unknown):
                return tuple(excluded_b), values
            resources_b.extend(s3_prefix(v) for v in values)
    return tuple(excluded_b), tuple(resources_b)


def _lambda_pack(raw: RawResource, scan: _Scan, built: list[Resource]) -> list[Resource]:
    view = View(raw)
    changes: dict[str, Any] = {"package_type": as_str(view.get("PackageType"), "Zip",
                                                      "PackageType")}
    if raw.type == "AWS::Serverless::Function":
        if view.get("ImageUri") is not None and view.get("PackageType") is None:
            changes["package_type"] = "Image"
        if view.get("Role") is None:
            changes["role_policies"], changes["role_managed_policies"] = _sam_policies(
                view.get("Policies"))
    out: list[Resource] = []
    for res in built:
        if isinstance(res, LambdaFunction):
            locs = dict(res.field_locations)
            if "Policies" in raw.attribute_locations:
                locs["role_policies"] = raw.attribute_locations["Policies"]
                locs["role_managed_policies"] = raw.attribute_locations["Policies"]
            res = replace(res, **changes, field_locations=MappingProxyType(locs))
        out.append(res)
    if raw.type == "AWS::Serverless::Function":
        out.extend(_sam_function_url(raw, scan))
    return out


def _sam_policies(value: Any) -> tuple[Any, Any]:
    """SAM `Policies`: managed policy names/ARNs, inline documents, or policy templates
    (`S3ReadPolicy: {...}`, scoped by SAM: not judged here)."""
    if value is None:
        return (), ()
    if isinstance(value, Unknown):
        return value, value
    items = value if isinstance(value, list) else [value]
    docs: list[PolicyDocument] = []
    managed: list[str] = []
    for item in items:
        if isinstance(item, Unknown):
            return item, item
        if isinstance(item, str):
            managed.append(item)
        elif isinstance(item, Reference):
            managed.append(str(item))
        elif isinstance(item, Mapping) and ("Statement" in item):
            doc = policy(item)
            if isinstance(doc, Unknown):
                return doc, doc
            if isinstance(doc, PolicyDocument):
                docs.append(doc)
    return tuple(docs), tuple(managed)


def _sam_function_url(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = View(raw)
    config = view.get("FunctionUrlConfig")
    if config is None:
        return []
    locs = Locations(raw)
    locs.attr("authorization_type", "FunctionUrlConfig")
    return [LambdaFunctionUrl(
        address=f"{raw.address}/FunctionUrlConfig", native_type=raw.type, source=raw.source,
        location=raw.attribute_locations.get("FunctionUrlConfig", raw.location),
        field_locations=locs.freeze(), name=raw.name or None, region=_REGION,
        function=raw.address,
        authorization_type=as_upper(view.get("FunctionUrlConfig.AuthType"), None, "AuthType"))]


_PACK_AFTER: Mapping[str, Callable[[RawResource, _Scan, list[Resource]], list[Resource]]] = {
    "AWS::KMS::Key": _kms_pack,
    "AWS::RDS::DBInstance": _db_pack,
    "AWS::RDS::DBCluster": _db_pack,
    "AWS::IAM::Role": _role_pack,
    "AWS::IAM::ManagedPolicy": _policy_pack,
    "AWS::CloudTrail::Trail": _trail_pack,
    "AWS::Lambda::Function": _lambda_pack,
    "AWS::Serverless::Function": _lambda_pack,
}

_PACK_FOLDERS: Mapping[str, Callable[[RawResource, _Scan], None]] = {
    "AWS::SecretsManager::RotationSchedule": _fold_rotation,
    "AWS::Backup::BackupSelection": _fold_selection,
    "AWS::Logs::DeliverySource": _fold_delivery_source,
    "AWS::ApiGateway::UsagePlan": _fold_usage_plan,
    "AWS::WAFv2::WebACLAssociation": _fold_waf,
    "AWS::EC2::NetworkAclEntry": _fold_nacl_entry,
    "AWS::GuardDuty::DetectorFeature": _fold_detector_feature,
    "AWS::KMS::ReplicaKey": _fold_replica_key,
    "AWS::IAM::ManagedPolicy": _fold_policy_users,
    "AWS::IAM::User": _fold_policy_users,
    "AWS::IAM::Group": _fold_policy_users,
    "AWS::IAM::Role": _fold_policy_users,
    "Custom::VpcRestrictDefaultSG": _fold_restrict_default_sg,
    "AWS::EC2::SecurityGroupIngress": _fold_default_sg_rule,
    "AWS::EC2::SecurityGroupEgress": _fold_default_sg_rule,
}

_PACK_BUILDERS: Mapping[str, Builder] = {
    "AWS::DynamoDB::Table": _dynamodb,
    "AWS::DynamoDB::GlobalTable": _global_table,
    "AWS::ElastiCache::ReplicationGroup": _elasticache,
    "AWS::OpenSearchService::Domain": _opensearch,
    "AWS::Elasticsearch::Domain": _opensearch,
    "AWS::Redshift::Cluster": _redshift,
    "AWS::EFS::FileSystem": _simple(EfsFileSystem, {}, _efs_extra),
    "AWS::Kinesis::Stream": _simple(KinesisStream, {}, _kinesis_extra),
    "AWS::SNS::Topic": _simple(SnsTopic, {"kms_key": F("KmsMasterKeyId", as_key)}),
    "AWS::SQS::Queue": _simple(SqsQueue, {}, _sqs_extra),
    "AWS::SecretsManager::Secret": _secret,
    "AWS::SSM::Parameter": _ssm_parameter,
    "AWS::Backup::BackupPlan": _backup_plan,
    "AWS::Backup::BackupVault": _backup_vault,
    "AWS::Backup::RestoreTestingPlan": _restore_testing,
    "AWS::CloudFront::Distribution": _cloudfront,
    "AWS::ApiGateway::Stage": _stage,
    "AWS::ApiGatewayV2::Stage": _stage,
    "AWS::Serverless::Api": _stage,
    "AWS::Serverless::HttpApi": _stage,
    "AWS::ApiGateway::Method": _method,
    "AWS::ApiGatewayV2::Route": _method,
    "AWS::CertificateManager::Certificate": _acm,
    "AWS::EC2::VPC": _vpc,
    "AWS::EC2::FlowLog": _flow_log,
    "AWS::EC2::NetworkAcl": _nacl,
    "AWS::EC2::NetworkAclEntry": _standalone_nacl_entry,
    "AWS::EC2::VPNConnection": _vpn,
    "AWS::ElasticLoadBalancingV2::LoadBalancer": _load_balancer,
    "AWS::ElasticLoadBalancing::LoadBalancer": _load_balancer,
    "AWS::Logs::MetricFilter": _metric_filter,
    "AWS::CloudWatch::Alarm": _metric_alarm,
    "AWS::Events::Rule": _event_rule,
    "AWS::Config::ConfigurationRecorder": _recorder,
    "AWS::GuardDuty::Detector": _detector,
    "AWS::CodeBuild::Project": _codebuild,
    "AWS::Lambda::CodeSigningConfig": _simple(LambdaCodeSigningConfig, {
        "enforce": F("CodeSigningPolicies.UntrustedArtifactOnDeployment", as_str, "Warn")}),
    "AWS::Lambda::Permission": _simple(LambdaPermission, {
        "function": F("FunctionName", as_key),
        "action": F("Action", as_str),
        "principal": F("Principal", as_str),
        "source_arn": F("SourceArn", as_key),
        "source_account": F("SourceAccount", as_key),
        "principal_org_id": F("PrincipalOrgID", as_key),
        "function_url_auth_type": F("FunctionUrlAuthType", as_upper),
    }),
    "AWS::Lambda::Url": _simple(LambdaFunctionUrl, {
        "function": F("TargetFunctionArn", as_key),
        "authorization_type": F("AuthType", as_upper),
    }),
    "AWS::CloudFormation::Parameter": _stack_parameter,
}


_FOLDERS: Mapping[str, Callable[[RawResource, _Scan], None]] = {
    "AWS::S3::BucketPolicy": _fold_bucket_policy,
    "AWS::EC2::SecurityGroupIngress": _fold_sg_rule,
    "AWS::EC2::SecurityGroupEgress": _fold_sg_rule,
    "AWS::IAM::Policy": _fold_policy,
    "AWS::IAM::ManagedPolicy": _fold_policy,
    "AWS::IAM::UserPolicy": _fold_policy,
    "AWS::IAM::RolePolicy": _fold_policy,
    "AWS::IAM::AccessKey": _fold_access_key,
}

_BUILDERS: Mapping[str, Builder] = {
    "AWS::S3::Bucket": _bucket,
    "AWS::EC2::Volume": _ec2_volume,
    "AWS::EC2::Instance": _instance,
    "AWS::EC2::LaunchTemplate": _launch_template,
    "AWS::RDS::DBInstance": _db_instance,
    "AWS::RDS::DBCluster": _db_cluster,
    "AWS::KMS::Key": _simple(KmsKey, _KMS),
    "AWS::EC2::SecurityGroup": _security_group,
    "AWS::EC2::SecurityGroupIngress": _sg_rule,
    "AWS::EC2::SecurityGroupEgress": _sg_rule,
    **{t: _policy_resource for t in _POLICY_TYPES},
    "AWS::IAM::Role": _role,
    "AWS::IAM::User": _user,
    "AWS::IAM::Group": _group,
    "AWS::IAM::AccessKey": _access_key,
    "AWS::CloudTrail::Trail": _simple(CloudTrail, _TRAIL, _trail_events),
    "AWS::Logs::LogGroup": _simple(LogGroup, _LOG_GROUP),
    "AWS::ElasticLoadBalancingV2::Listener": _simple(LoadBalancerListener, _LISTENER,
                                                     _listener_extra),
    "AWS::Lambda::Function": _simple(LambdaFunction, _LAMBDA, _lambda_extra),
    "AWS::Serverless::Function": _simple(LambdaFunction, _SAM_FUNCTION, _lambda_extra),
    "AWS::EKS::Cluster": _simple(EksCluster, _EKS, _eks_logs),
    "AWS::ECR::Repository": _simple(EcrRepository, _ECR),
}
