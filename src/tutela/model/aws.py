"""Normalized AWS resources, filled alike from Terraform, CloudFormation and the AWS APIs.

Field conventions:
- `bool | Unknown` fields hold the effective setting, provider defaults applied
  by the adapter (an `aws_ebs_volume` without `encrypted` is `False`).
- `... | None` means "not set"; `Unknown` means "set, but to a value not known
  before apply"; a `Reference` names another resource (e.g. a KMS key) whose
  identity is known even though its ARN is computed at apply time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from tutela.model.base import Resource
from tutela.model.policy import PolicyDocument
from tutela.model.values import Reference, Unknown

Flag = bool | Unknown
Text = str | Unknown | None
KeyRef = str | Reference | Unknown | None
Number = int | Unknown | None
Policy = PolicyDocument | Unknown | None
EMPTY_ENV: Mapping[str, object] = MappingProxyType({})


class AwsResource(Resource):
    """Marker base for AWS resources."""

    __slots__ = ()
    provider = "aws"


# --- storage -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Encryption:
    """Encryption at rest: enabled, the algorithm (`aws:kms`, `AES256`...) and the key, if any."""

    enabled: Flag
    algorithm: Text = None
    kms_key: KeyRef = None


NOT_ENCRYPTED = Encryption(enabled=False)


@dataclass(frozen=True, slots=True)
class PublicAccessBlock:
    block_public_acls: Flag = False
    block_public_policy: Flag = False
    ignore_public_acls: Flag = False
    restrict_public_buckets: Flag = False


@dataclass(frozen=True, slots=True, kw_only=True)
class S3Bucket(AwsResource):
    """An S3 bucket with its separately declared settings folded in."""

    kind = "s3_bucket"

    bucket_name: Text = None
    encryption: Encryption = NOT_ENCRYPTED
    versioning: Flag = False
    mfa_delete: Flag = False
    public_access_block: PublicAccessBlock | None = None
    access_logging: Flag = False
    log_target: Text = None
    policy: Policy = None
    acl: Text = None
    object_lock: Flag = False
    # Live only: the account-level S3 public access block (s3control), which applies to
    # every bucket on top of `public_access_block`; None = not known/not collected.
    account_public_access_block: PublicAccessBlock | Unknown | None = None
    # The CloudTrail trails declared in the same deployment (Terraform root module,
    # CloudFormation template); None: not known (live).
    deployment_trails: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EbsVolume(AwsResource):
    """A block volume (EBS), or the block devices a launch template/instance declares."""

    kind = "ebs_volume"

    encryption: Encryption = NOT_ENCRYPTED


@dataclass(frozen=True, slots=True, kw_only=True)
class DatabaseInstance(AwsResource):
    """An RDS DB instance or an Aurora/RDS cluster (`is_cluster`)."""

    kind = "database"

    engine: Text = None
    is_cluster: bool = False
    storage_encryption: Encryption = NOT_ENCRYPTED
    publicly_accessible: Flag = False
    backup_retention_days: Number = None
    multi_az: Flag = False
    deletion_protection: Flag = False
    iam_authentication: Flag = False
    auto_minor_version_upgrade: Flag = True
    log_exports: tuple[str, ...] | Unknown = ()
    member_of_cluster: bool = False
    engine_mode: Text = None  # clusters: provisioned, serverless...
    # Added for the AWS rule pack (append only):
    engine_version: Text = None
    cluster: KeyRef = None  # cluster members: the cluster they belong to
    # Connections must use TLS (rds.force_ssl / require_secure_transport in the parameter
    # group, engine defaults applied); None = the engine does not use such a parameter.
    require_tls: Flag | None = None
    master_password: Text = None  # a literal in code (never collected live)
    manages_master_password: Flag = False  # RDS keeps the password in Secrets Manager


# --- keys --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class KmsKey(AwsResource):
    kind = "kms_key"

    rotation_enabled: Flag = False
    key_spec: Text = "SYMMETRIC_DEFAULT"
    deletion_window_days: Number = None
    policy: Policy = None
    enabled: Flag = True
    multi_region: Flag | None = None  # None: not known (not collected)
    origin: Text = "AWS_KMS"  # AWS_KMS | EXTERNAL | AWS_CLOUDHSM | EXTERNAL_KEY_STORE
    replicas: tuple[str, ...] = ()  # replica keys in other regions (IaC: their addresses)

    @property
    def is_symmetric(self) -> bool | Unknown:
        spec = self.key_spec
        if isinstance(spec, Unknown):
            return spec
        return spec is None or spec == "SYMMETRIC_DEFAULT"


# --- network -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SecurityGroupRule:
    """One ingress or egress rule; `protocol` is normalized (`-1` for all, `tcp`, `udp`...)."""

    direction: str  # "ingress" | "egress"
    protocol: str | Unknown
    from_port: int | Unknown | None
    to_port: int | Unknown | None
    cidr_blocks: tuple[str, ...] | Unknown = ()
    ipv6_cidr_blocks: tuple[str, ...] | Unknown = ()
    source_security_groups: tuple[str, ...] = ()
    description: str | None = None
    path: str = ""  # field path for locations, e.g. "ingress[0]"

    def covers_port(self, port: int) -> bool:
        """True when the rule admits `port` (all protocols, or tcp/udp ranges)."""
        proto = self.protocol
        if isinstance(proto, Unknown):
            raise_unknown(proto)
        if str(proto) in ("-1", "all"):
            return True
        if str(proto) not in ("tcp", "6", "udp", "17"):
            return False
        lo, hi = self.from_port, self.to_port
        if isinstance(lo, Unknown):
            raise_unknown(lo)
        if isinstance(hi, Unknown):
            raise_unknown(hi)
        if lo is None and hi is None:
            return True
        low = lo if lo is not None else 0
        high = hi if hi is not None else 65535
        if low == -1 or high == -1:
            return True
        return low <= port <= high

    @property
    def open_to_internet(self) -> bool:
        """Admits 0.0.0.0/0 or ::/0 (raises UnknownValueError if the CIDRs are unknown)."""
        v4, v6 = self.cidr_blocks, self.ipv6_cidr_blocks
        if isinstance(v4, Unknown):
            raise_unknown(v4)
        if isinstance(v6, Unknown):
            raise_unknown(v6)
        return "0.0.0.0/0" in v4 or "::/0" in v6


def raise_unknown(value: Unknown) -> None:
    from tutela.model.values import UnknownValueError

    raise UnknownValueError(value)


@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityGroup(AwsResource):
    """A security group with inline and separately declared rules folded in."""

    kind = "security_group"

    rules: tuple[SecurityGroupRule, ...] | Unknown = ()
    vpc_id: KeyRef = None
    description: Text = None
    is_default: bool = False  # the VPC's default security group

    @property
    def ingress(self) -> tuple[SecurityGroupRule, ...]:
        rules = self.rules
        if isinstance(rules, Unknown):
            raise_unknown(rules)
        return tuple(r for r in rules if r.direction == "ingress")


@dataclass(frozen=True, slots=True)
class MetadataOptions:
    http_tokens: Text = "optional"  # "required" means IMDSv2 only
    http_endpoint: Text = "enabled"


@dataclass(frozen=True, slots=True, kw_only=True)
class Ec2Instance(AwsResource):
    """An EC2 instance or launch template (`is_template`)."""

    kind = "ec2_instance"

    is_template: bool = False
    image_id: Text = None
    metadata_options: MetadataOptions = MetadataOptions()
    root_volume_encryption: Encryption | None = None
    public_ip: Flag = False
    iam_instance_profile: KeyRef = None
    user_data: Text = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadBalancerListener(AwsResource):
    kind = "lb_listener"

    protocol: Text = None  # HTTP, HTTPS, TCP, TLS...
    port: Number = None
    ssl_policy: Text = None
    redirects_to_https: Flag = False
    certificate: KeyRef = None


# --- identity ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class IamPolicy(AwsResource):
    """An IAM policy document wherever it is declared: managed, inline on a role/user/group."""

    kind = "iam_policy"

    document: Policy = None
    attached_to: str = ""  # "role" | "user" | "group" | "" (managed, attachment separate)
    principal_name: Text = None
    # Where a managed policy is attached: "user:<name>", "group:<name>", "role:<name>".
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class IamUser(AwsResource):
    kind = "iam_user"

    user_name: Text = None
    attached_policies: tuple[str, ...] = ()  # managed-policy attachments and inline policies
    inline_policies: tuple[str, ...] = ()
    has_console_password: Flag = False
    mfa_enabled: Flag | None = None
    access_keys: tuple[str, ...] = ()
    password_last_used: datetime | None = None  # live only
    created_at: datetime | None = None  # live only


@dataclass(frozen=True, slots=True, kw_only=True)
class IamRole(AwsResource):
    kind = "iam_role"

    role_name: Text = None
    assume_role_policy: Policy = None
    inline_policies: tuple[PolicyDocument, ...] = ()
    managed_policy_arns: tuple[str, ...] | Unknown = ()
    max_session_duration: Number = 3600  # seconds


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessKey(AwsResource):
    """A long-lived access key declared in code (`aws_iam_access_key`)."""

    kind = "iam_access_key"

    user: KeyRef = None
    active: Flag = True  # status Active (the default) or Inactive
    created_at: datetime | None = None  # live only
    last_used_at: datetime | Unknown | None = None  # live only; None = never used
    age_days: int | None = None  # live only: days since creation when it was collected


# --- logging and monitoring --------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CloudTrail(AwsResource):
    kind = "cloudtrail"

    multi_region: Flag = False
    log_file_validation: Flag = False
    kms_key: KeyRef = None
    logging_enabled: Flag = True
    include_global_events: Flag = True
    management_events: Flag = True
    data_events: Flag = False
    cloudwatch_logs_group: KeyRef = None
    s3_bucket: KeyRef = None  # the bucket receiving the log files
    sns_topic: KeyRef = None
    # Management event sources the trail excludes (e.g. kms.amazonaws.com).
    excluded_event_sources: tuple[str, ...] | Unknown = ()
    # S3 object data events: the bucket ARNs (or prefixes) logged; "*" = every bucket.
    # None: not known (not collected).
    data_event_resources: tuple[str, ...] | Unknown | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LogGroup(AwsResource):
    kind = "log_group"

    retention_days: Number = None  # None or 0 = never expire
    kms_key: KeyRef = None
    group_name: Text = None  # the log group's name (/aws/lambda/...)


# --- compute, serverless, containers -------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class LambdaFunction(AwsResource):
    kind = "lambda_function"

    timeout_seconds: Number = 3  # AWS default
    reserved_concurrency: Number = None
    environment: Mapping[str, object] | Unknown | None = None
    env_kms_key: KeyRef = None
    tracing_mode: Text = None
    dead_letter_target: KeyRef = None
    role: KeyRef = None
    code_signing_config: KeyRef = None
    runtime: Text = None
    package_type: Text = "Zip"
    # SAM functions without a `Role`: the policies of the role SAM generates.
    role_policies: tuple[PolicyDocument, ...] | Unknown = ()
    role_managed_policies: tuple[str, ...] | Unknown = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class EksCluster(AwsResource):
    kind = "eks_cluster"

    log_types: tuple[str, ...] | Unknown = ()
    endpoint_public_access: Flag = True
    endpoint_private_access: Flag = False
    public_access_cidrs: tuple[str, ...] | Unknown = ("0.0.0.0/0",)
    secrets_encryption_key: KeyRef = None
    version: Text = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EcrRepository(AwsResource):
    kind = "ecr_repository"

    scan_on_push: Flag = False
    tag_mutability: Text = "MUTABLE"
    encryption_type: Text = "AES256"
    kms_key: KeyRef = None
    policy: Policy = None


# --- data stores and messaging -----------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class DynamoDbTable(AwsResource):
    """A DynamoDB table. Tables are always encrypted; `encryption.kms_key` tells whose key."""

    kind = "dynamodb_table"

    encryption: Encryption = Encryption(enabled=True, algorithm="AWS_OWNED")
    point_in_time_recovery: Flag = False
    deletion_protection: Flag = False
    replica_regions: tuple[str, ...] | Unknown = ()  # global table replicas


@dataclass(frozen=True, slots=True, kw_only=True)
class ElastiCacheReplicationGroup(AwsResource):
    kind = "elasticache_replication_group"

    at_rest_encryption: Flag = False
    transit_encryption: Flag = False
    auth_token_set: Flag = False
    kms_key: KeyRef = None
    automatic_failover: Flag = False
    snapshot_retention_days: Number = 0
    engine: Text = "redis"
    auth_token: Text = None  # a literal in code (never collected live)
    auto_minor_version_upgrade: Flag = True


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenSearchDomain(AwsResource):
    kind = "opensearch_domain"

    encrypt_at_rest: Flag = False
    node_to_node_encryption: Flag = False
    enforce_https: Flag = False
    tls_policy: Text = None
    in_vpc: Flag = False
    audit_logs: Flag = False
    kms_key: KeyRef = None
    access_policy: Policy = None
    master_password: Text = None  # a literal in code (never collected live)


@dataclass(frozen=True, slots=True, kw_only=True)
class RedshiftCluster(AwsResource):
    kind = "redshift_cluster"

    encryption: Encryption = NOT_ENCRYPTED
    publicly_accessible: Flag = False
    audit_logging: Flag = False
    require_ssl: Flag = False
    automated_snapshot_retention_days: Number = 1
    master_password: Text = None  # a literal in code (never collected live)
    manages_master_password: Flag = False


@dataclass(frozen=True, slots=True, kw_only=True)
class EfsFileSystem(AwsResource):
    kind = "efs_file_system"

    encryption: Encryption = NOT_ENCRYPTED


@dataclass(frozen=True, slots=True, kw_only=True)
class KinesisStream(AwsResource):
    kind = "kinesis_stream"

    encryption: Encryption = NOT_ENCRYPTED


@dataclass(frozen=True, slots=True, kw_only=True)
class SnsTopic(AwsResource):
    kind = "sns_topic"

    kms_key: KeyRef = None
    policy: Policy = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SqsQueue(AwsResource):
    kind = "sqs_queue"

    encryption: Encryption = NOT_ENCRYPTED  # SQS-managed SSE or a KMS key
    policy: Policy = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SecretsManagerSecret(AwsResource):
    kind = "secretsmanager_secret"

    kms_key: KeyRef = None
    rotation_enabled: Flag = False
    rotation_days: Number = None
    last_rotated: datetime | None = None  # live only


@dataclass(frozen=True, slots=True, kw_only=True)
class Snapshot(AwsResource):
    """An EBS volume snapshot or an RDS DB (cluster) snapshot."""

    kind = "snapshot"

    snapshot_type: str = "ebs"  # "ebs" | "rds" | "rds-cluster"
    encrypted: Flag = False
    public: Flag = False


# --- backup ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BackupRule:
    name: str
    schedule: Text = None
    retention_days: Number = None  # lifecycle delete_after; None = kept forever
    copy_destinations: tuple[str, ...] | Unknown = ()  # vault ARNs/refs in other regions
    path: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class BackupPlan(AwsResource):
    kind = "backup_plan"

    rules: tuple[BackupRule, ...] | Unknown = ()
    selections: tuple[str, ...] | Unknown = ()  # resources or tag conditions selected


@dataclass(frozen=True, slots=True, kw_only=True)
class BackupVault(AwsResource):
    kind = "backup_vault"

    kms_key: KeyRef = None
    locked: Flag = False
    min_retention_days: Number = None
    # Vault notification event types; None: not known (not collected).
    notification_events: tuple[str, ...] | Unknown | None = None


# --- edge, APIs, certificates ------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CloudFrontDistribution(AwsResource):
    kind = "cloudfront_distribution"

    viewer_protocol_policies: tuple[str, ...] | Unknown = ()  # per cache behaviour
    minimum_protocol_version: Text = None  # e.g. TLSv1.2_2021
    uses_default_certificate: Flag = True
    access_logging: Flag = False
    web_acl: KeyRef = None
    origin_protocol_policies: tuple[str, ...] | Unknown = ()
    aliases: tuple[str, ...] | Unknown = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiGatewayStage(AwsResource):
    """A REST (v1) or HTTP/WebSocket (v2) API stage."""

    kind = "apigateway_stage"

    api_id: KeyRef = None
    access_logging: Flag = False
    tracing: Flag = False
    throttling_configured: Flag = False
    cache_encrypted: Flag | None = None
    web_acl: KeyRef = None
    protocol: Text = "REST"  # REST | HTTP | WEBSOCKET


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiGatewayMethod(AwsResource):
    """A REST API method or an HTTP API route with its authorization."""

    kind = "apigateway_method"

    http_method: Text = None
    authorization_type: Text = "NONE"  # NONE, AWS_IAM, CUSTOM, COGNITO_USER_POOLS, JWT
    api_key_required: Flag = False
    api_id: KeyRef = None
    protocol: Text = "REST"  # REST | HTTP | WEBSOCKET
    api_public_by_tag: Flag = False  # the API is tagged as intentionally public


@dataclass(frozen=True, slots=True, kw_only=True)
class AcmCertificate(AwsResource):
    kind = "acm_certificate"

    domain_name: Text = None
    not_after: datetime | None = None  # live only
    key_algorithm: Text = None
    status: Text = None
    in_use: Flag | None = None
    validation_method: Text = None  # DNS | EMAIL | None (imported or private CA)
    imported: Flag = False


# --- network -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Vpc(AwsResource):
    kind = "vpc"

    vpc_id: KeyRef = None
    is_default: Flag = False
    # The default security group admits nothing (managed in code with no rules); None =
    # not managed in this scan (AWS's default rules stay: all traffic between members,
    # all egress).
    default_sg_restricted: Flag | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowLog(AwsResource):
    kind = "flow_log"

    target: KeyRef = None  # the VPC/subnet/ENI whose traffic is logged
    traffic_type: Text = "ALL"


@dataclass(frozen=True, slots=True)
class NetworkAclRule:
    egress: bool
    rule_number: int | Unknown
    action: str | Unknown  # "allow" | "deny"
    protocol: str | Unknown
    from_port: int | Unknown | None
    to_port: int | Unknown | None
    cidr_block: str | Unknown | None = None
    ipv6_cidr_block: str | Unknown | None = None
    path: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkAcl(AwsResource):
    kind = "network_acl"

    rules: tuple[NetworkAclRule, ...] | Unknown = ()


# --- monitoring and governance -------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class MetricFilter(AwsResource):
    kind = "log_metric_filter"

    log_group: KeyRef = None
    pattern: Text = None
    metric_name: Text = None
    metric_namespace: Text = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MetricAlarm(AwsResource):
    kind = "metric_alarm"

    metric_name: Text = None
    metric_namespace: Text = None
    actions_enabled: Flag = True
    alarm_actions: tuple[str, ...] | Unknown = ()
    alarm_name: Text = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfigRecorder(AwsResource):
    kind = "config_recorder"

    all_supported: Flag = False
    include_global_resources: Flag = False
    recording: Flag | None = None  # live: is the recorder running


@dataclass(frozen=True, slots=True, kw_only=True)
class GuardDutyDetector(AwsResource):
    kind = "guardduty_detector"

    enabled: Flag = True
    # Protection plans by name (RUNTIME_MONITORING, EKS_RUNTIME_MONITORING, S3_DATA_EVENTS...)
    # -> enabled; None: not known (not collected).
    features: Mapping[str, bool] | Unknown | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountPasswordPolicy(AwsResource):
    kind = "account_password_policy"

    minimum_length: Number = None
    require_symbols: Flag = False
    require_numbers: Flag = False
    require_uppercase: Flag = False
    require_lowercase: Flag = False
    max_age_days: Number = None
    reuse_prevention: Number = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountRoot(AwsResource):
    """The account's root user, as the credential report and account summary show it (live)."""

    kind = "account_root"

    mfa_enabled: Flag = False
    access_keys_present: Flag = False
    password_last_used: datetime | None = None


# --- build and deployment ------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeBuildProject(AwsResource):
    kind = "codebuild_project"

    privileged_mode: Flag = False
    logs_enabled: Flag = True
    kms_key: KeyRef = None
    plaintext_env: Mapping[str, object] | Unknown = field(default_factory=lambda: EMPTY_ENV)


@dataclass(frozen=True, slots=True, kw_only=True)
class LambdaCodeSigningConfig(AwsResource):
    kind = "lambda_code_signing_config"

    enforce: Text = "Warn"  # untrusted_artifact_on_deployment: Warn | Enforce


# --- added for the AWS rule pack ------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AwsProvider(AwsResource):
    """A Terraform `provider "aws"` configuration (its `region` is the base field)."""

    kind = "aws_provider"

    alias: Text = None
    access_key: Text = None  # literals in code, if any
    secret_key: Text = None
    token: Text = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StackParameter(AwsResource):
    """A CloudFormation template parameter, or a parameter value a Terraform
    `aws_cloudformation_stack` passes to its template."""

    kind = "stack_parameter"

    parameter_name: str = ""
    no_echo: Flag = False
    parameter_type: Text = None
    default: Text = None  # CloudFormation: the literal Default, if any
    value: Text = None  # Terraform: the literal value passed, if any


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadBalancer(AwsResource):
    kind = "load_balancer"

    lb_type: Text = "application"  # application | network | gateway | classic
    internal: Flag = False
    access_logging: Flag = False
    web_acl: KeyRef = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EventRule(AwsResource):
    """An EventBridge (CloudWatch Events) rule with its targets."""

    kind = "event_rule"

    pattern: Text = None  # the event pattern as JSON text
    enabled: Flag = True
    targets: tuple[str, ...] | Unknown = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class LambdaPermission(AwsResource):
    """A resource-based permission to invoke a function (`aws_lambda_permission`)."""

    kind = "lambda_permission"

    function: KeyRef = None
    action: Text = "lambda:InvokeFunction"
    principal: Text = None  # "*", an account id/ARN, or a service principal
    source_arn: KeyRef = None
    source_account: KeyRef = None
    principal_org_id: KeyRef = None
    function_url_auth_type: Text = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LambdaFunctionUrl(AwsResource):
    kind = "lambda_function_url"

    function: KeyRef = None
    authorization_type: Text = None  # AWS_IAM | NONE


@dataclass(frozen=True, slots=True)
class VpnTunnel:
    """One site-to-site VPN tunnel's IKE options; None = AWS's defaults (all allowed)."""

    ike_versions: tuple[str, ...] | Unknown | None = None
    phase1_dh_groups: tuple[int, ...] | Unknown | None = None
    phase2_dh_groups: tuple[int, ...] | Unknown | None = None
    path: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class VpnConnection(AwsResource):
    kind = "vpn_connection"

    tunnels: tuple[VpnTunnel, ...] | Unknown = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class RestoreTestingPlan(AwsResource):
    """An AWS Backup restore testing plan."""

    kind = "restore_testing_plan"

    schedule: Text = None  # cron(...) or rate(...)
    interval_days: Number = None  # the longest time between two runs, when known


@dataclass(frozen=True, slots=True, kw_only=True)
class SsmParameter(AwsResource):
    kind = "ssm_parameter"

    parameter_name: Text = None
    parameter_type: Text = "String"  # String | StringList | SecureString
    value: Text = None  # a literal in code, if any
    kms_key: KeyRef = None
