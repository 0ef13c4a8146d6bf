"""3.3.2 Key management on AWS: deletion windows, customer-managed keys for ePHI, key
distribution across regions, HSM-backed key material, audit of key usage."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType

from tutela.model.aws import (
    AwsResource,
    CloudTrail,
    CodeBuildProject,
    DatabaseInstance,
    DynamoDbTable,
    EbsVolume,
    EcrRepository,
    EfsFileSystem,
    ElastiCacheReplicationGroup,
    KinesisStream,
    KmsKey,
    LogGroup,
    OpenSearchDomain,
    RedshiftCluster,
    SecretsManagerSecret,
    SnsTopic,
    SqsQueue,
)
from tutela.model.values import Unknown, is_unknown
from tutela.rules.api import Severity, Verdict, failed, not_applicable, passed, rule, unknown
from tutela.rules.settings import Settings


@rule(
    code="KEY004",
    controls=("3.3.2.b.5",),
    severity=Severity.MEDIUM,
    remediation="""
        Keep a pending-deletion window of at least the organisation's minimum
        (`[settings] kms_deletion_window_min_days`, default 14; AWS's default is 30), so a
        mistaken or malicious `ScheduleKeyDeletion` can be noticed and cancelled.
    """,
    snippets={
        "terraform": "deletion_window_in_days = 30",
        "cloudformation": "PendingWindowInDays: 30",
    },
)
def key_deletion_window_meets_minimum(key: KmsKey, settings: Settings) -> Verdict:
    """KMS keys wait long enough before deletion to be recovered.

    Why: deleting a key destroys every ciphertext it protects, backups included; a 7-day
    window leaves little time to notice the scheduled deletion and cancel it.
    """
    days = key.deletion_window_days
    if days is None:
        return passed("AWS default window (30 days)")
    minimum = settings.kms_deletion_window_min_days
    if days < minimum:
        return failed(f"deletion window is {days} days, below the minimum of {minimum}",
                      at="deletion_window_days")
    return passed(f"deletion window {days} days")


def _key_of(field: str) -> Callable[[AwsResource], object]:
    def get(resource: AwsResource) -> object:
        value: object = resource
        for part in field.split("."):
            value = getattr(value, part)
        return value
    return get


# ePHI data stores and where their key is: (key field, the field a finding points at).
_KEY_FIELDS: Mapping[type[AwsResource], tuple[str, str]] = MappingProxyType({
    DynamoDbTable: ("encryption.kms_key", "encryption"),
    DatabaseInstance: ("storage_encryption.kms_key", "storage_encryption"),
    EbsVolume: ("encryption.kms_key", "encryption"),
    EfsFileSystem: ("encryption.kms_key", "encryption"),
    KinesisStream: ("encryption.kms_key", "encryption"),
    SnsTopic: ("kms_key", "kms_key"),
    SqsQueue: ("encryption.kms_key", "encryption"),
    SecretsManagerSecret: ("kms_key", "kms_key"),
    LogGroup: ("kms_key", "kms_key"),
    OpenSearchDomain: ("kms_key", "kms_key"),
    RedshiftCluster: ("encryption.kms_key", "encryption"),
    ElastiCacheReplicationGroup: ("kms_key", "kms_key"),
    CodeBuildProject: ("kms_key", "kms_key"),
    EcrRepository: ("kms_key", "kms_key"),
})


@rule(
    code="KEY005",
    controls=("3.3.2.a.2", "3.3.2.a.1"),
    severity=Severity.HIGH,
    remediation="""
        Encrypt data stores tagged as holding ePHI with a customer-managed KMS key (the
        resource's `kms_key_id` / `kms_master_key_id` / `server_side_encryption
        { kms_key_arn }`), not the AWS-owned or AWS-managed (`alias/aws/...`) key.
    """,
    snippets={
        "terraform": """
            server_side_encryption {
              enabled     = true
              kms_key_arn = aws_kms_key.records.arn
            }
        """,
        "cloudformation": """
            SSESpecification:
              SSEEnabled: true
              SSEType: KMS
              KMSMasterKeyId: !Ref RecordsKey
        """,
    },
)
def ephi_store_uses_customer_managed_key(resource: AwsResource,
                                         settings: Settings) -> Iterator[Verdict]:
    """Data stores tagged as holding ePHI use customer-managed KMS keys.

    Why: ENG-POL-003 requires customer-managed keys for ePHI so that the organisation
    controls the key policy, sees every use in CloudTrail and can revoke access. Applies
    to DynamoDB, RDS/Aurora, EBS, EFS, Kinesis, SNS, SQS, Secrets Manager, CloudWatch
    Logs, OpenSearch, Redshift, ElastiCache, CodeBuild and ECR (S3 is KEY003, Lambda
    environments FN003). Which tags mark ePHI is set in `[settings] ephi_tag_keys /
    ephi_tag_values`.
    """
    spec = _KEY_FIELDS.get(type(resource))
    if spec is None:
        return
    if isinstance(resource, DatabaseInstance) and resource.member_of_cluster:
        return  # the cluster holds the key
    if is_unknown(resource.tags):
        yield unknown(f"tags are not known before apply: {resource.tags.reason}", at="tags")
        return
    if not settings.is_ephi(resource.tags):
        yield not_applicable("not tagged as holding ePHI")
        return
    field, at = spec
    key = _key_of(field)(resource)
    if isinstance(resource, DynamoDbTable) and resource.encryption.algorithm == "AWS_OWNED":
        yield failed("ePHI table encrypted with an AWS-owned key", at=at)
        return
    if isinstance(key, Unknown):
        yield unknown(f"key not known: {key.reason}", at=at)
        return
    if not key:
        yield failed("ePHI data store not encrypted with a customer-managed KMS key", at=at)
        return
    if isinstance(key, str) and "alias/aws/" in key:
        yield failed(f"ePHI data store uses the AWS-managed key {key}", at=at)
        return
    yield passed()


@rule(
    code="KEY006",
    controls=("3.3.2.b.4", "3.6.2.a.1"),
    severity=Severity.LOW,
    remediation="""
        Make keys that protect ePHI multi-Region (`multi_region = true`) and replicate them
        to the recovery region (`aws_kms_replica_key`), so restored data and cross-region
        backup copies can still be decrypted when the primary region is down.
    """,
    snippets={
        "terraform": """
            resource "aws_kms_key" "records" {
              enable_key_rotation = true
              multi_region        = true
            }

            resource "aws_kms_replica_key" "records_dr" {
              provider        = aws.dr
              primary_key_arn = aws_kms_key.records.arn
            }
        """,
        "cloudformation": "MultiRegion: true",
    },
)
def ephi_key_is_multi_region(key: KmsKey, settings: Settings) -> Verdict:
    """Keys that protect ePHI can be used in a second region.

    Why: ENG-POL-003 requires geographic distribution of keys for disaster recovery; a
    single-region key makes every backup it encrypts unusable elsewhere while its region
    is down.
    """
    if is_unknown(key.tags):
        return unknown(f"tags are not known before apply: {key.tags.reason}", at="tags")
    if not settings.is_ephi(key.tags):
        return not_applicable("not tagged as holding ePHI")
    if key.replicas:
        return passed(f"replicated as {', '.join(key.replicas)}")
    if key.multi_region is None:
        return unknown("whether the key is multi-Region was not collected", at="multi_region")
    if not key.multi_region:
        return failed("a single-region key protects ePHI", at="multi_region")
    return passed("multi-Region key")


@rule(
    code="KEY007",
    controls=("3.3.2.a.5", "3.3.1.a.5"),
    severity=Severity.LOW,
    remediation="""
        Let KMS generate the key material (its FIPS 140-3 validated HSMs never export it) or
        use a CloudHSM custom key store; avoid imported key material, whose copies outside
        an HSM are the organisation's to protect.
    """,
    snippets={
        "terraform": """
            resource "aws_kms_key" "records" {
              enable_key_rotation = true
            }
        """,
        "cloudformation": "Origin: AWS_KMS",
    },
)
def key_material_stays_in_hsm(key: KmsKey) -> Verdict:
    """KMS key material is generated and held in hardware security modules.

    Why: ENG-POL-003 requires HSM protection for keys that need tamper resistance. Key
    material KMS generates (origin AWS_KMS) or that lives in CloudHSM never leaves an
    HSM; imported material (origin EXTERNAL) was made, and may still exist, outside one.
    """
    origin = key.origin
    if is_unknown(origin):
        return unknown(f"key origin not known: {origin.reason}", at="origin")
    if origin in (None, "AWS_KMS"):
        return passed("generated and held in AWS KMS HSMs")
    if origin == "AWS_CLOUDHSM":
        return passed("held in a CloudHSM custom key store")
    if origin == "EXTERNAL_KEY_STORE":
        return unknown("held in an external key manager: whether it is an HSM is not known",
                       at="origin")
    return failed("imported key material (origin EXTERNAL) was generated outside an HSM",
                  at="origin")


_KMS_SOURCE = "kms.amazonaws.com"


@rule(
    code="KEY008",
    controls=("3.3.2.b.3",),
    severity=Severity.MEDIUM,
    remediation="""
        Do not exclude `kms.amazonaws.com` from the trail's management events
        (`exclude_management_event_sources`, or an advanced selector with `eventSource`
        `not_equals`).
    """,
    snippets={
        "terraform": """
            event_selector {
              read_write_type           = "All"
              include_management_events = true
            }
        """,
        "cloudformation": """
            EventSelectors:
              - ReadWriteType: All
                IncludeManagementEvents: true
        """,
    },
)
def trail_records_key_events(trail: CloudTrail) -> Verdict:
    """CloudTrail records the use and administration of KMS keys.

    Why: ENG-POL-003 requires audit logging of every key management activity; trails
    often exclude the high-volume KMS events to save cost, which erases the record of
    who decrypted ePHI and who scheduled a key for deletion. Trails that record no
    management events at all (data-event trails) are not applicable.
    """
    if not trail.management_events:
        return not_applicable("the trail records no management events")
    excluded = trail.excluded_event_sources
    if is_unknown(excluded):
        return unknown(f"excluded event sources not known: {excluded.reason}",
                       at="excluded_event_sources")
    if _KMS_SOURCE in excluded:
        return failed("the trail excludes kms.amazonaws.com events",
                      at="excluded_event_sources")
    if not trail.logging_enabled:
        return failed("the trail is not logging", at="logging_enabled")
    return passed()
