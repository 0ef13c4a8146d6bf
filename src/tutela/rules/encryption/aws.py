"""3.3.1 Encryption at rest and in transit."""

from __future__ import annotations

from collections.abc import Iterator

from tutela.model.aws import DatabaseInstance, EbsVolume, LoadBalancerListener, S3Bucket
from tutela.model.values import is_unknown
from tutela.rules.api import Severity, Verdict, failed, not_applicable, passed, rule, unknown


@rule(
    code="ENC001",
    controls=("3.3.1.a.3",),
    severity=Severity.HIGH,
    remediation="""
        Declare default server-side encryption, SSE-KMS with a customer-managed key for
        buckets that hold ePHI (`aws_s3_bucket_server_side_encryption_configuration`).
    """,
    snippets={
        "terraform": """
            resource "aws_s3_bucket_server_side_encryption_configuration" "records" {
              bucket = aws_s3_bucket.records.id
              rule {
                apply_server_side_encryption_by_default {
                  sse_algorithm     = "aws:kms"
                  kms_master_key_id = aws_kms_key.records.arn
                }
              }
            }
        """,
        "cloudformation": """
            BucketEncryption:
              ServerSideEncryptionConfiguration:
                - ServerSideEncryptionByDefault:
                    SSEAlgorithm: aws:kms
                    KMSMasterKeyID: !Ref RecordsKey
        """,
    },
)
def bucket_encrypted_at_rest(bucket: S3Bucket) -> Verdict:
    """S3 buckets declare default encryption at rest.

    Why: object storage holding regulated data must be encrypted under a key the
    organisation controls and audits; an explicit configuration records that decision
    instead of relying on provider defaults.
    """
    if not bucket.encryption.enabled:
        return failed("no default server-side encryption is declared", at="encryption")
    return passed(f"encrypted with {bucket.encryption.algorithm or 'a declared algorithm'}")


@rule(
    code="ENC002",
    controls=("3.3.1.a.1",),
    severity=Severity.HIGH,
    remediation="""
        Set `encrypted = true` (and `kms_key_id` for ePHI), or enable EBS encryption by
        default.
    """,
    snippets={
        "terraform": """
        encrypted  = true
        kms_key_id = aws_kms_key.ebs.arn
    """,
        "cloudformation": "Encrypted: true",
    },
)
def volume_encrypted_at_rest(volume: EbsVolume) -> Verdict:
    """Block volumes are encrypted at rest.

    Why: unencrypted volumes and their snapshots expose disk contents to anyone who
    can copy or share a snapshot.
    """
    if not volume.encryption.enabled:
        return failed("the volume is not encrypted", at="encryption")
    return passed()


@rule(
    code="ENC003",
    controls=("3.3.1.a.2",),
    severity=Severity.HIGH,
    remediation="Set `storage_encrypted = true` with a customer-managed `kms_key_id`.",
    snippets={
        "terraform": """
            storage_encrypted = true
            kms_key_id        = aws_kms_key.db.arn
        """,
        "cloudformation": """
            StorageEncrypted: true
            KmsKeyId: !Ref DatabaseKey
        """,
    },
)
def database_storage_encrypted(db: DatabaseInstance) -> Verdict:
    """Database storage is encrypted at rest.

    Why: database files, automated backups, read replicas and snapshots of an
    unencrypted instance all carry the data in clear.
    """
    if db.member_of_cluster:
        return not_applicable("storage encryption is set on the cluster")
    if not db.storage_encryption.enabled:
        return failed("database storage is not encrypted", at="storage_encryption")
    return passed()


@rule(
    code="ENC004",
    controls=("3.3.1.b.1",),
    severity=Severity.HIGH,
    remediation="""
        Serve HTTPS (or TLS) with an ACM certificate; make plain HTTP listeners redirect
        to HTTPS.
    """,
    snippets={
        "terraform": """
            default_action {
              type = "redirect"
              redirect {
                port        = "443"
                protocol    = "HTTPS"
                status_code = "HTTP_301"
              }
            }
        """,
    },
)
def listener_uses_tls(listener: LoadBalancerListener) -> Verdict:
    """Load balancer listeners encrypt traffic or redirect to HTTPS.

    Why: plain HTTP carries session tokens and health data in clear text across
    networks the organisation does not control.
    """
    proto = listener.protocol
    if proto in ("HTTPS", "TLS"):
        return passed(f"{proto} listener")
    if proto == "HTTP":
        if listener.redirects_to_https:
            return passed("HTTP redirects to HTTPS")
        return failed("HTTP listener serves traffic unencrypted", at="protocol")
    if proto in ("TCP", "UDP", "TCP_UDP", "GENEVE"):
        return not_applicable(f"{proto} listener: TLS is end to end or not applicable")
    return failed(f"listener protocol {proto!r} is not encrypted", at="protocol")


# ELB security policies that allow TLS 1.0/1.1 or no forward secrecy.
_WEAK_POLICY_PREFIXES = (
    "ELBSecurityPolicy-2015",
    "ELBSecurityPolicy-2016-08",
    "ELBSecurityPolicy-TLS-1-0",
    "ELBSecurityPolicy-TLS-1-1",
    "ELBSecurityPolicy-FS-2018",
    "ELBSecurityPolicy-FS-1-1",
)
DEFAULT_ELB_POLICY = "ELBSecurityPolicy-2016-08"


@rule(
    code="ENC005",
    controls=("3.3.1.b.1", "3.3.1.b.5"),
    severity=Severity.MEDIUM,
    remediation="""
        Use a TLS 1.3 policy where clients allow it (`ELBSecurityPolicy-TLS13-1-2-2021-06`),
        and never one that accepts TLS 1.0/1.1.
    """,
    snippets={
        "terraform": 'ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"',
        "cloudformation": "SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06",
    },
)
def listener_tls_policy_is_modern(listener: LoadBalancerListener) -> Verdict:
    """TLS listeners refuse protocol versions older than TLS 1.2.

    Why: ENG-POL-003 asks for TLS 1.3 or equivalent with forward secrecy; policies
    that still accept TLS 1.0/1.1 allow downgrade to broken protocols.
    """
    if listener.protocol not in ("HTTPS", "TLS"):
        return not_applicable("not a TLS listener")
    policy = listener.ssl_policy or DEFAULT_ELB_POLICY
    if is_unknown(policy):
        return unknown(f"ssl_policy not known: {policy.reason}", at="ssl_policy")
    if policy.startswith(_WEAK_POLICY_PREFIXES):
        implied = "" if listener.ssl_policy else " (the default when none is set)"
        return failed(f"security policy {policy}{implied} accepts TLS < 1.2", at="ssl_policy")
    return passed(policy)


@rule(
    code="ENC006",
    controls=("3.3.1.b.1",),
    severity=Severity.MEDIUM,
    remediation="""
        Add a bucket policy statement that denies `s3:*` when `aws:SecureTransport` is
        false.
    """,
    snippets={
        "terraform": """
            statement {
              effect    = "Deny"
              actions   = ["s3:*"]
              resources = [aws_s3_bucket.records.arn, "${aws_s3_bucket.records.arn}/*"]
              principals {
                type        = "*"
                identifiers = ["*"]
              }
              condition {
                test     = "Bool"
                variable = "aws:SecureTransport"
                values   = ["false"]
              }
            }
        """,
    },
)
def bucket_requires_tls(bucket: S3Bucket) -> Iterator[Verdict]:
    """S3 bucket policies deny requests that do not use TLS.

    Why: S3 accepts plain HTTP unless the bucket policy refuses it; only a deny on
    `aws:SecureTransport = false` guarantees transport encryption for every client.
    """
    doc = bucket.policy
    if doc is None:
        yield failed("no bucket policy denies non-TLS requests", at="policy")
        return
    if is_unknown(doc):
        yield unknown(f"bucket policy not known: {doc.reason}", at="policy")
        return
    for st in doc.statements:
        if st.effect == "Deny" and "false" in {
            v.lower() for v in st.condition_values("aws:SecureTransport")
        }:
            yield passed("non-TLS requests are denied")
            return
    yield failed("the bucket policy does not deny non-TLS requests", at="policy")
