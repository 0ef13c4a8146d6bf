"""3.3.2 on Google Cloud: Cloud KMS rotation, HSM protection, key access and CMEK for ePHI."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from tutela.model.gcp import (
    BigQueryDataset,
    ComputeDisk,
    GkeCluster,
    KeyRef,
    KmsCryptoKey,
    PubSubTopic,
    SqlDatabaseInstance,
    StorageBucket,
)
from tutela.model.values import Unknown, is_unknown
from tutela.rules.api import Severity, Verdict, failed, not_applicable, passed, rule, unknown
from tutela.rules.network.gcp import public_grant_verdicts
from tutela.rules.settings import Settings

MAX_ROTATION_DAYS = 90
_DAY = 86400


def cmek_verdict(tags: Mapping[str, str] | Unknown, key: KeyRef, settings: Settings, what: str,
                 *, at: str = "kms_key") -> Verdict:
    """CMEK required for resources labelled as holding ePHI."""
    if is_unknown(tags):
        return unknown(f"labels not known: {tags.reason}")
    if not settings.is_ephi(tags):
        return not_applicable("not labelled as holding ePHI")
    if is_unknown(key):
        return unknown(f"the encryption key is not known: {key.reason}", at=at)
    if not key:
        return failed(f"{what} holds ePHI but is encrypted with a Google-managed key", at=at)
    return passed("encrypted with a customer-managed key")


@rule(
    code="KEY201",
    controls=("3.3.2.a.3",),
    severity=Severity.MEDIUM,
    remediation="""
        Set `rotation_period` to 90 days or less (`"7776000s"`) on symmetric encryption
        keys.
    """,
    snippets={"terraform": 'rotation_period = "7776000s" # 90 days'},
)
def kms_crypto_key_rotates(key: KmsCryptoKey) -> Verdict:
    """Cloud KMS encryption keys rotate automatically at least every 90 days.

    Why: automatic rotation limits how much data any one key version protects and how
    long a leaked version stays useful; the CIS benchmark asks for 90 days. Asymmetric
    and MAC keys cannot rotate automatically and are not applicable.
    """
    purpose = key.purpose
    if is_unknown(purpose):
        return unknown(f"purpose not known: {purpose.reason}", at="purpose")
    if purpose != "ENCRYPT_DECRYPT":
        return not_applicable(f"{purpose} keys do not rotate automatically")
    period = key.rotation_period_seconds
    if is_unknown(period):
        return unknown(f"rotation_period not known: {period.reason}",
                       at="rotation_period_seconds")
    if period is None:
        return failed("no rotation_period: the key never rotates", at="rotation_period_seconds")
    if period > MAX_ROTATION_DAYS * _DAY:
        return failed(f"rotates every {period // _DAY} days, more than {MAX_ROTATION_DAYS}",
                      at="rotation_period_seconds")
    return passed(f"rotates every {period // _DAY} days")


@rule(
    code="KEY202",
    controls=("3.3.2.a.5", "3.3.1.a.5"),
    severity=Severity.MEDIUM,
    remediation="""
        Create high-value keys with `version_template { protection_level = "HSM" }` (or in
        an external key manager).
    """,
    snippets={
        "terraform": """
            version_template {
              algorithm        = "GOOGLE_SYMMETRIC_ENCRYPTION"
              protection_level = "HSM"
            }
        """,
    },
)
def kms_high_value_key_in_hsm(key: KmsCryptoKey, settings: Settings) -> Verdict:
    """Keys labelled high-value are protected by a hardware security module.

    Why: ENG-POL-003 requires HSM protection for high-value keys: HSM-backed key
    material never leaves FIPS 140-2 Level 3 hardware. High-value keys carry one of
    the `[settings] high_value_key_tags` labels (default `high_value=true`...); other
    keys are not applicable.
    """
    if is_unknown(key.tags):
        return unknown(f"labels not known: {key.tags.reason}")
    if not settings.has_tag(key.tags, settings.high_value_key_tags):
        return not_applicable("not labelled as a high-value key")
    level = key.protection_level
    if is_unknown(level):
        return unknown(f"protection level not known: {level.reason}", at="protection_level")
    if level in ("HSM", "EXTERNAL", "EXTERNAL_VPC"):
        return passed(f"protection level {level}")
    return failed(f"a high-value key with protection level {level}", at="protection_level")


@rule(
    code="KEY203",
    controls=("3.3.2.b.1", "3.2.1.a.3"),
    severity=Severity.CRITICAL,
    remediation="""
        Remove `allUsers` and `allAuthenticatedUsers` from the key's IAM grants; grant
        `roles/cloudkms.cryptoKeyEncrypterDecrypter` to the service agents that use it.
    """,
    snippets={
        "terraform": """
            resource "google_kms_crypto_key_iam_member" "gcs" {
              crypto_key_id = google_kms_crypto_key.records.id
              role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
              member        = "serviceAccount:${local.gcs_service_agent}"
            }
        """,
    },
)
def kms_crypto_key_not_public(key: KmsCryptoKey) -> Iterator[Verdict]:
    """Cloud KMS keys grant nothing to allUsers or allAuthenticatedUsers.

    Why: anyone allowed to use or administer the key that protects ePHI can decrypt it
    or destroy it; the CIS benchmark forbids anonymous or public key access.
    """
    yield from public_grant_verdicts(key.iam, what="public key")


@rule(
    code="KEY204",
    controls=("3.3.2.a.2", "3.3.1.a.3"),
    severity=Severity.HIGH,
    remediation="""
        Encrypt ePHI buckets with a Cloud KMS key:
        `encryption { default_kms_key_name = google_kms_crypto_key.records.id }`.
    """,
    snippets={
        "terraform": """
            encryption {
              default_kms_key_name = google_kms_crypto_key.records.id
            }
        """,
    },
)
def gcs_ephi_bucket_uses_cmek(bucket: StorageBucket, settings: Settings) -> Verdict:
    """Buckets labelled as holding ePHI are encrypted with a customer-managed key.

    Why: ENG-POL-003 requires customer-managed keys for ePHI, so the organisation
    controls, audits and can revoke access to the data's encryption.
    """
    return cmek_verdict(bucket.tags, bucket.kms_key, settings, "the bucket")


@rule(
    code="KEY205",
    controls=("3.3.2.a.2", "3.3.1.a.1"),
    severity=Severity.HIGH,
    remediation="""
        Encrypt ePHI disks with a Cloud KMS key: `kms_key_self_link` on instance disks,
        `disk_encryption_key { kms_key_self_link = ... }` on disks and templates.
    """,
    snippets={
        "terraform": """
            boot_disk {
              kms_key_self_link = google_kms_crypto_key.disks.id
              initialize_params {
                image = "debian-cloud/debian-12"
              }
            }
        """,
    },
)
def gce_ephi_disk_uses_cmek(disk: ComputeDisk, settings: Settings) -> Verdict:
    """Disks labelled as holding ePHI are encrypted with a customer-managed key.

    Why: persistent disks and their snapshots carry the data of the workloads that use
    them; a customer-managed (or customer-supplied) key keeps their encryption under the
    organisation's control. An instance's own disks take the instance's labels.
    """
    if disk.customer_supplied is True:
        return passed("encrypted with a customer-supplied key")
    return cmek_verdict(disk.tags, disk.kms_key, settings, "the disk")


@rule(
    code="KEY206",
    controls=("3.3.2.a.2", "3.3.1.a.2"),
    severity=Severity.HIGH,
    remediation="Set `encryption_key_name` to a Cloud KMS key on ePHI Cloud SQL instances.",
    snippets={"terraform": "encryption_key_name = google_kms_crypto_key.sql.id"},
)
def cloud_sql_ephi_uses_cmek(db: SqlDatabaseInstance, settings: Settings) -> Verdict:
    """Cloud SQL instances labelled as holding ePHI use a customer-managed key.

    Why: the key of a Cloud SQL instance also protects its backups and replicas; with a
    customer-managed key the organisation controls and audits every use.
    """
    return cmek_verdict(db.tags, db.kms_key, settings, "the instance")


@rule(
    code="KEY207",
    controls=("3.3.2.a.2", "3.3.1.a.2"),
    severity=Severity.HIGH,
    remediation="""
        Set `default_encryption_configuration { kms_key_name = ... }` on ePHI datasets.
    """,
    snippets={
        "terraform": """
            default_encryption_configuration {
              kms_key_name = google_kms_crypto_key.analytics.id
            }
        """,
    },
)
def bigquery_ephi_dataset_uses_cmek(dataset: BigQueryDataset, settings: Settings) -> Verdict:
    """BigQuery datasets labelled as holding ePHI use a customer-managed key.

    Why: analytics copies of clinical data need the same key control as their sources.
    """
    return cmek_verdict(dataset.tags, dataset.kms_key, settings, "the dataset")


@rule(
    code="KEY208",
    controls=("3.3.2.a.2", "3.3.1.a.4"),
    severity=Severity.MEDIUM,
    remediation="Set `kms_key_name` on Pub/Sub topics labelled as carrying ePHI.",
    snippets={"terraform": "kms_key_name = google_kms_crypto_key.events.id"},
)
def pubsub_ephi_topic_uses_cmek(topic: PubSubTopic, settings: Settings) -> Verdict:
    """Pub/Sub topics labelled as carrying ePHI use a customer-managed key.

    Why: messages wait in the topic's storage for up to weeks; clinical events there
    deserve the same key control as the systems that produce them.
    """
    return cmek_verdict(topic.tags, topic.kms_key, settings, "the topic")


@rule(
    code="KEY209",
    controls=("3.3.2.a.2", "3.5.1.b.5"),
    severity=Severity.MEDIUM,
    remediation="""
        Encrypt Kubernetes Secrets at the application layer with a Cloud KMS key.
    """,
    snippets={
        "terraform": """
            database_encryption {
              state    = "ENCRYPTED"
              key_name = google_kms_crypto_key.gke_secrets.id
            }
        """,
    },
)
def gke_secrets_encrypted_with_kms(cluster: GkeCluster) -> Verdict:
    """GKE clusters encrypt Kubernetes Secrets with a Cloud KMS key.

    Why: without application-layer encryption, Secrets in etcd are protected only by
    Google's storage encryption; a KMS key the organisation controls adds a second,
    audited layer for credentials used by workloads that handle ePHI.
    """
    state = cluster.secrets_encryption
    if is_unknown(state):
        return unknown(f"database_encryption state not known: {state.reason}",
                       at="secrets_encryption")
    if state != "ENCRYPTED":
        return failed("Secrets are not encrypted with a Cloud KMS key", at="secrets_encryption")
    return passed("application-layer Secrets encryption")
