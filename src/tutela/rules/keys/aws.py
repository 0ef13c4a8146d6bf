"""3.3.2 Key management: customer-managed keys, rotation, key policies."""

from __future__ import annotations

from collections.abc import Iterator

from tutela.model.aws import KmsKey, S3Bucket
from tutela.model.values import is_unknown
from tutela.rules.api import (
    Severity,
    Verdict,
    failed,
    not_applicable,
    or_passed,
    passed,
    rule,
    unknown,
)
from tutela.rules.identity._aws_policy import public_statements
from tutela.rules.settings import Settings


@rule(
    code="KEY001",
    controls=("3.3.2.a.3",),
    severity=Severity.MEDIUM,
    remediation="Set `enable_key_rotation = true` on symmetric customer-managed keys.",
    snippets={
        "terraform": "enable_key_rotation = true",
        "cloudformation": "EnableKeyRotation: true",
    },
)
def kms_key_rotation_enabled(key: KmsKey) -> Verdict:
    """Customer-managed KMS keys rotate automatically.

    Why: automatic rotation limits how much data any one key version protects, as the
    policy's key rotation requirement expects. Asymmetric and HMAC keys cannot rotate
    automatically and are not applicable, as are keys with imported material or in a
    custom key store.
    """
    if not key.is_symmetric:
        return not_applicable(f"key spec {key.key_spec} does not support automatic rotation")
    if key.origin in ("EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"):
        return not_applicable(f"keys with origin {key.origin} cannot rotate automatically")
    if not key.rotation_enabled:
        return failed("automatic key rotation is disabled", at="rotation_enabled")
    return passed()


@rule(
    code="KEY002",
    controls=("3.3.2.b.1", "3.3.2.a.1"),
    severity=Severity.CRITICAL,
    remediation="""
        Name the principals allowed to use the key; when `"AWS": "*"` is needed, restrict
        it with conditions such as `kms:CallerAccount` or `aws:PrincipalOrgID`.
    """,
)
def kms_key_policy_not_public(key: KmsKey) -> Iterator[Verdict]:
    """KMS key policies do not allow every principal.

    Why: a key policy that allows `*` without conditions lets any AWS account use (or
    administer) the key that protects the organisation's data. Only a condition that
    narrows the principal counts (`aws:PrincipalOrgID`, `aws:PrincipalAccount`,
    `aws:SourceAccount`, `aws:SourceArn`, `kms:CallerAccount`, `kms:ViaService`...); one
    on the transport (`aws:SecureTransport`) still lets every account in.
    """
    doc = key.policy
    if doc is None:
        yield passed("default key policy (account root only)")
        return
    if is_unknown(doc):
        yield unknown(f"key policy not known: {doc.reason}", at="policy")
        return
    yield from or_passed(
        failed(
            "the key policy allows any principal without a condition naming the caller's "
            "account, organization or source (aws:PrincipalOrgID, kms:CallerAccount...)",
            at="policy",
            subject=st.sid or f"statement[{i}]",
        )
        for i, st in public_statements(doc)
    )


@rule(
    code="KEY003",
    controls=("3.3.2.a.2",),
    severity=Severity.HIGH,
    remediation="""
        Encrypt buckets tagged as holding ePHI with SSE-KMS under a customer-managed key
        (`kms_master_key_id`), not SSE-S3 or the AWS-managed `aws/s3` key.
    """,
    snippets={
        "terraform": """
            apply_server_side_encryption_by_default {
              sse_algorithm     = "aws:kms"
              kms_master_key_id = aws_kms_key.records.arn
            }
        """,
    },
)
def ephi_bucket_uses_customer_managed_key(bucket: S3Bucket, settings: Settings) -> Verdict:
    """Buckets tagged as holding ePHI use a customer-managed KMS key.

    Why: ENG-POL-003 requires customer-managed keys for ePHI so that the organisation
    controls, audits and can revoke access to the key. Which tags mark ePHI is set in
    `[settings] ephi_tag_keys / ephi_tag_values`.
    """
    if is_unknown(bucket.tags):
        return unknown("tags are not known before apply", at="tags")
    if not settings.is_ephi(bucket.tags):
        return not_applicable("not tagged as holding ePHI")
    enc = bucket.encryption
    if not enc.enabled:
        return failed("ePHI bucket without declared encryption", at="encryption")
    if enc.algorithm not in ("aws:kms", "aws:kms:dsse") or not enc.kms_key:
        return failed("ePHI bucket not encrypted with a customer-managed KMS key", at="encryption")
    if isinstance(enc.kms_key, str) and enc.kms_key.endswith("alias/aws/s3"):
        return failed("ePHI bucket uses the AWS-managed aws/s3 key", at="encryption")
    return passed()
