"""3.3.1 Encryption at rest and in transit for AWS data stores, caches, search, warehouses,
file systems, streams, topics and queues."""

from __future__ import annotations

from tutela.model.aws import (
    EfsFileSystem,
    ElastiCacheReplicationGroup,
    KinesisStream,
    OpenSearchDomain,
    RedshiftCluster,
    SnsTopic,
    SqsQueue,
)
from tutela.model.values import is_unknown
from tutela.rules.api import Severity, Verdict, failed, passed, rule, unknown


@rule(
    code="ENC007",
    controls=("3.3.1.a.2", "3.1.1.a.2"),
    severity=Severity.HIGH,
    remediation="""
        Create replication groups with `at_rest_encryption_enabled = true` (and `kms_key_id`
        for ePHI). Encryption at rest cannot be turned on later: migrate through a snapshot
        into a new, encrypted group.
    """,
    snippets={
        "terraform": """
            at_rest_encryption_enabled = true
            kms_key_id                 = aws_kms_key.cache.arn
        """,
        "cloudformation": """
            AtRestEncryptionEnabled: true
            KmsKeyId: !Ref CacheKey
        """,
    },
)
def cache_encrypted_at_rest(group: ElastiCacheReplicationGroup) -> Verdict:
    """ElastiCache replication groups encrypt data at rest.

    Why: cache nodes swap to disk and write backups; without encryption at rest, cached
    sessions and records end up unencrypted on disks and in snapshots.
    """
    if not group.at_rest_encryption:
        return failed("encryption at rest is disabled", at="at_rest_encryption")
    return passed()


@rule(
    code="ENC008",
    controls=("3.3.1.b.1", "3.1.1.a.2"),
    severity=Severity.HIGH,
    remediation="""
        Set `transit_encryption_enabled = true` and connect clients with TLS.
    """,
    snippets={
        "terraform": "transit_encryption_enabled = true",
        "cloudformation": "TransitEncryptionEnabled: true",
    },
)
def cache_encrypted_in_transit(group: ElastiCacheReplicationGroup) -> Verdict:
    """ElastiCache replication groups require TLS.

    Why: Redis and Valkey speak plain text by default; anyone on the network path can read
    cached data and the AUTH token itself.
    """
    if not group.transit_encryption:
        return failed("in-transit encryption (TLS) is disabled", at="transit_encryption")
    return passed()


@rule(
    code="ENC009",
    controls=("3.3.1.a.2", "3.3.1.a.3"),
    severity=Severity.HIGH,
    remediation="""
        Enable `encrypt_at_rest { enabled = true }` (with a customer-managed `kms_key_id`
        for ePHI).
    """,
    snippets={
        "terraform": """
            encrypt_at_rest {
              enabled    = true
              kms_key_id = aws_kms_key.search.arn
            }
        """,
        "cloudformation": """
            EncryptionAtRestOptions:
              Enabled: true
              KmsKeyId: !Ref SearchKey
        """,
    },
)
def search_domain_encrypted_at_rest(domain: OpenSearchDomain) -> Verdict:
    """OpenSearch domains encrypt indices at rest.

    Why: search indices hold copies of the documents they index, often full records;
    unencrypted they sit in clear on data nodes and in automated snapshots.
    """
    if not domain.encrypt_at_rest:
        return failed("encryption at rest is disabled", at="encrypt_at_rest")
    return passed()


@rule(
    code="ENC010",
    controls=("3.3.1.b.1",),
    severity=Severity.MEDIUM,
    remediation="Enable `node_to_node_encryption { enabled = true }`.",
    snippets={
        "terraform": """
            node_to_node_encryption {
              enabled = true
            }
        """,
        "cloudformation": """
            NodeToNodeEncryptionOptions:
              Enabled: true
        """,
    },
)
def search_domain_node_to_node_encrypted(domain: OpenSearchDomain) -> Verdict:
    """OpenSearch domains encrypt traffic between their nodes.

    Why: shards and query results travel between nodes; without node-to-node encryption
    they cross the VPC in clear text.
    """
    if not domain.node_to_node_encryption:
        return failed("node-to-node encryption is disabled", at="node_to_node_encryption")
    return passed()


_TLS12_POLICIES = ("Policy-Min-TLS-1-2",)


@rule(
    code="ENC011",
    controls=("3.3.1.b.1", "3.3.1.b.5"),
    severity=Severity.HIGH,
    remediation="""
        Enforce HTTPS with a TLS 1.2+ policy:
        `domain_endpoint_options { enforce_https = true, tls_security_policy =
        "Policy-Min-TLS-1-2-PFS-2023-10" }`.
    """,
    snippets={
        "terraform": """
            domain_endpoint_options {
              enforce_https       = true
              tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10"
            }
        """,
        "cloudformation": """
            DomainEndpointOptions:
              EnforceHTTPS: true
              TLSSecurityPolicy: Policy-Min-TLS-1-2-PFS-2023-10
        """,
    },
)
def search_domain_requires_modern_tls(domain: OpenSearchDomain) -> Verdict:
    """OpenSearch domains accept only HTTPS with TLS 1.2 or later.

    Why: without `enforce_https` the endpoint answers plain HTTP; the default TLS policy
    still accepts TLS 1.0 and 1.1, which ENG-POL-003's TLS requirement rules out.
    """
    if not domain.enforce_https:
        return failed("the endpoint accepts plain HTTP (enforce_https is off)",
                      at="enforce_https")
    policy = domain.tls_policy
    if policy is None:
        return failed("no TLS security policy: the default accepts TLS 1.0", at="tls_policy")
    if is_unknown(policy):
        return unknown(f"TLS policy not known: {policy.reason}", at="tls_policy")
    if not policy.startswith(_TLS12_POLICIES):
        return failed(f"TLS policy {policy} accepts TLS versions before 1.2", at="tls_policy")
    return passed(policy)


@rule(
    code="ENC012",
    controls=("3.3.1.a.2",),
    severity=Severity.HIGH,
    remediation="""
        Set `encrypted = true` with a customer-managed `kms_key_id`.
    """,
    snippets={
        "terraform": """
            encrypted  = true
            kms_key_id = aws_kms_key.warehouse.arn
        """,
        "cloudformation": """
            Encrypted: true
            KmsKeyId: !Ref WarehouseKey
        """,
    },
)
def warehouse_encrypted_at_rest(cluster: RedshiftCluster) -> Verdict:
    """Redshift clusters are encrypted at rest.

    Why: a data warehouse concentrates the organisation's data, ePHI included; its
    blocks and snapshots must be encrypted under a key the organisation controls.
    """
    if not cluster.encryption.enabled:
        return failed("the cluster is not encrypted", at="encryption")
    return passed()


@rule(
    code="ENC013",
    controls=("3.3.1.b.1",),
    severity=Severity.HIGH,
    remediation="""
        Use a parameter group that sets `require_ssl = true` (Terraform
        `aws_redshift_parameter_group`, CloudFormation `AWS::Redshift::ClusterParameterGroup`).
    """,
    snippets={
        "terraform": """
            resource "aws_redshift_parameter_group" "tls" {
              name   = "warehouse-tls"
              family = "redshift-1.0"
              parameter {
                name  = "require_ssl"
                value = "true"
              }
            }
        """,
        "cloudformation": """
            Parameters:
              - ParameterName: require_ssl
                ParameterValue: "true"
        """,
    },
)
def warehouse_requires_ssl(cluster: RedshiftCluster) -> Verdict:
    """Redshift clusters refuse unencrypted connections.

    Why: Redshift accepts plain-text client connections unless `require_ssl` is set in
    the cluster's parameter group; query results would then cross the network in clear.
    """
    if not cluster.require_ssl:
        return failed("the parameter group does not set require_ssl = true", at="require_ssl")
    return passed()


@rule(
    code="ENC014",
    controls=("3.3.1.a.3",),
    severity=Severity.HIGH,
    remediation="""
        Create file systems with `encrypted = true` (and a customer-managed `kms_key_id`
        for ePHI); existing ones must be copied to a new encrypted file system.
    """,
    snippets={
        "terraform": """
            encrypted  = true
            kms_key_id = aws_kms_key.files.arn
        """,
        "cloudformation": """
            Encrypted: true
            KmsKeyId: !Ref FilesKey
        """,
    },
)
def file_system_encrypted_at_rest(fs: EfsFileSystem) -> Verdict:
    """EFS file systems are encrypted at rest.

    Why: ENG-POL-003 requires file system encryption for network-attached storage that
    holds regulated data; EFS encrypts only when asked at creation.
    """
    if not fs.encryption.enabled:
        return failed("the file system is not encrypted", at="encryption")
    return passed()


@rule(
    code="ENC015",
    controls=("3.1.1.a.2", "3.5.2.b.3"),
    severity=Severity.MEDIUM,
    remediation='Set `encryption_type = "KMS"` with a `kms_key_id`.',
    snippets={
        "terraform": """
            encryption_type = "KMS"
            kms_key_id      = aws_kms_key.stream.arn
        """,
        "cloudformation": """
            StreamEncryption:
              EncryptionType: KMS
              KeyId: !Ref StreamKey
        """,
    },
)
def stream_encrypted_at_rest(stream: KinesisStream) -> Verdict:
    """Kinesis data streams encrypt records at rest.

    Why: streams keep records for a day or more; Kinesis does not encrypt them unless
    server-side encryption is requested.
    """
    if not stream.encryption.enabled:
        return failed("server-side encryption is off", at="encryption")
    return passed()


@rule(
    code="ENC016",
    controls=("3.1.1.a.2", "3.5.2.b.3"),
    severity=Severity.MEDIUM,
    remediation="Set `kms_master_key_id` (a customer-managed key for ePHI, else `alias/aws/sns`).",
    snippets={
        "terraform": "kms_master_key_id = aws_kms_key.events.arn",
        "cloudformation": "KmsMasterKeyId: !Ref EventsKey",
    },
)
def topic_encrypted_at_rest(topic: SnsTopic) -> Verdict:
    """SNS topics encrypt messages at rest.

    Why: SNS stores messages until they are delivered; without a KMS key they are kept
    unencrypted, and notifications often carry identifiers or clinical events.
    """
    if not topic.kms_key:
        return failed("the topic has no KMS key: messages are stored unencrypted",
                      at="kms_key")
    return passed()


@rule(
    code="ENC017",
    controls=("3.1.1.a.2", "3.5.2.b.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Keep server-side encryption on: leave `sqs_managed_sse_enabled` at its default
        (true) or set `kms_master_key_id` (a customer-managed key for ePHI).
    """,
    snippets={
        "terraform": "kms_master_key_id = aws_kms_key.queue.arn",
        "cloudformation": "KmsMasterKeyId: !Ref QueueKey",
    },
)
def queue_encrypted_at_rest(queue: SqsQueue) -> Verdict:
    """SQS queues encrypt messages at rest.

    Why: queued messages wait on AWS storage for up to 14 days; SQS encrypts them with its
    own keys by default, so only an explicit opt-out leaves them in clear.
    """
    enc = queue.encryption
    if not enc.enabled:
        return failed("server-side encryption is turned off", at="encryption")
    if enc.algorithm == "SQS_MANAGED":
        return passed("encrypted with SQS-managed keys")
    return passed("encrypted with a KMS key")

