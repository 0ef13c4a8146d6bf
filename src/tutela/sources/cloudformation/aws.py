"""CloudFormation (and SAM) AWS resources -> the normalized AWS model.

`adapt_cloudformation` takes the raw resources of one template (attributes are
the evaluated `Properties`; `Ref`/`Fn::GetAtt` to a resource is a
`Reference(logical_id, attribute)`) and returns model resources, in the same
three linear steps as the Terraform adapter: index the resources others point
at, fold the resources that configure others (`AWS::S3::BucketPolicy`,
`AWS::EC2::SecurityGroupIngress`, `AWS::IAM::Policy` with `Users`...), build.

Defaults are those of the CloudFormation resource specification / the AWS
APIs, written next to each field. Parameters (`AWS::CloudFormation::Parameter`)
and unrecognised types yield nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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
from tutela.model.values import Unknown
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
        self.targets: dict[str, Targets] = {f: Targets() for f, _ in _TARGET_TYPES.values()}
        self.sg_rules: dict[str, SecurityGroupRule] = {}
        self.joined: set[str] = set()

    def target(self, family: str, value: Any) -> RawResource | None:
        targets = self.targets[family]
        return targets.get(targets.resolve(value))


def adapt_cloudformation(raw: Sequence[RawResource]) -> list[Resource]:
    """Normalized AWS resources from the raw resources of one CloudFormation template."""
    scan = _Scan()
    companions: list[RawResource] = []
    for r in raw:
        entry = _TARGET_TYPES.get(r.type)
        if entry is not None:
            family, name_prop = entry
            scan.targets[family].add(r, View(r).get(name_prop) if name_prop else None)
        if r.type in _FOLDERS:
            companions.append(r)
    for r in companions:
        _FOLDERS[r.type](r, scan)
    out: list[Resource] = []
    for r in raw:
        builder = _BUILDERS.get(r.type)
        if builder is not None:
            out.extend(builder(r, scan))
    return out


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


def _policy(value: Any, default: Any = None, what: str = "") -> Any:
    return policy(value)


def _text(value: Any) -> str:
    return "(not known before deployment)" if isinstance(value, Unknown) else str(value)


# --------------------------------------------------------------------------- tables

_KMS = {
    "rotation_enabled": F("EnableKeyRotation", as_flag, False),
    "key_spec": F("KeySpec", as_str, "SYMMETRIC_DEFAULT"),
    "deletion_window_days": F("PendingWindowInDays", as_int, 30),
    "policy": F("KeyPolicy", _policy),
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
    "policy": F("RepositoryPolicyText", _policy),
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
        for item in items:
            index = len(rules)
            rules.append(_rule(item, direction, f"rules[{index}]"))
            locs.attr(f"rules[{index}]", prop)
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
