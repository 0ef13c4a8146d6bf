"""S3 (global listing, per-bucket details in the bucket's region).

Fills S3Bucket: default encryption, versioning and MFA delete, the bucket's
public access block and the account's (S3 Control), bucket policy, server
access logging, object lock, ACL (summarised like a canned ACL) and tags.
Buckets outside the collected regions are left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tutela.collectors.aws.base import Collector, document, tag_map
from tutela.collectors.aws.pool import Job
from tutela.model.aws import NOT_ENCRYPTED, Encryption, PublicAccessBlock, S3Bucket
from tutela.model.values import Unknown

SERVICE = "s3"
SCOPE = "global"
TYPES = (S3Bucket,)

Pab = PublicAccessBlock | Unknown | None


def collect(c: Collector) -> Sequence[Job]:
    s3 = c.client()
    buckets = c.listing(s3, "list_buckets", "Buckets", TYPES)
    if not buckets:
        return ()
    account_pab = _account_pab(c)
    regions = set(c.run.regions)
    chosen: list[tuple[Mapping[str, Any], str | Unknown]] = []
    for b in buckets:
        name = str(b.get("Name"))
        region = _location(c, s3, b, name)
        if isinstance(region, str) and regions and region not in regions:
            continue
        chosen.append((b, region))
    return c.fan_out(chosen, lambda cc, chunk: _details(cc, chunk, account_pab), "S3 buckets")


def _location(c: Collector, s3: Any, bucket: Mapping[str, Any], name: str) -> str | Unknown:
    region = bucket.get("BucketRegion")  # ListBuckets gives it on recent APIs
    if isinstance(region, str) and region:
        return region
    answer = c.call(s3, "get_bucket_location", resource=f"arn:{c.partition}:s3:::{name}",
                    Bucket=name)
    if isinstance(answer, Unknown):
        return answer
    constraint = (answer or {}).get("LocationConstraint")
    if not constraint:
        return "us-east-1"
    return "eu-west-1" if constraint == "EU" else str(constraint)


def _pab(answer: Mapping[str, Any]) -> PublicAccessBlock:
    conf = answer.get("PublicAccessBlockConfiguration", {}) or {}
    return PublicAccessBlock(
        block_public_acls=bool(conf.get("BlockPublicAcls", False)),
        block_public_policy=bool(conf.get("BlockPublicPolicy", False)),
        ignore_public_acls=bool(conf.get("IgnorePublicAcls", False)),
        restrict_public_buckets=bool(conf.get("RestrictPublicBuckets", False)),
    )


def _account_pab(c: Collector) -> Pab:
    control = c.client("s3control")
    answer = c.call(control, "get_public_access_block",
                    absent=("NoSuchPublicAccessBlockConfiguration",), AccountId=c.account)
    if answer is None or isinstance(answer, Unknown):
        return answer
    return _pab(answer)


def _acl(answer: Mapping[str, Any]) -> str:
    public: set[str] = set()
    authenticated = False
    for grant in answer.get("Grants", []) or ():
        uri = str((grant.get("Grantee") or {}).get("URI", ""))
        permission = str(grant.get("Permission", "")).upper()
        if uri.endswith("/AllUsers"):
            public.add(permission)
        elif uri.endswith("/AuthenticatedUsers"):
            authenticated = True
    if public & {"WRITE", "WRITE_ACP", "FULL_CONTROL"}:
        return "public-read-write"
    if public:
        return "public-read"
    return "authenticated-read" if authenticated else "private"


def _encryption(answer: dict[str, Any] | Unknown | None) -> Encryption:
    if isinstance(answer, Unknown):
        return Encryption(enabled=answer)
    if answer is None:
        return NOT_ENCRYPTED
    rules = (answer.get("ServerSideEncryptionConfiguration") or {}).get("Rules", []) or []
    for rule in rules:
        default = rule.get("ApplyServerSideEncryptionByDefault") or {}
        algorithm = default.get("SSEAlgorithm")
        if algorithm:
            return Encryption(enabled=True, algorithm=str(algorithm),
                              kms_key=default.get("KMSMasterKeyID"))
    return NOT_ENCRYPTED


def _details(c: Collector, chunk: Sequence[tuple[Mapping[str, Any], str | Unknown]],
             account_pab: Pab) -> None:
    for bucket, region in chunk:
        name = str(bucket.get("Name"))
        arn = f"arn:{c.partition}:s3:::{name}"
        s3 = c.client("s3", region if isinstance(region, str) else None)

        def get(op: str, absent: tuple[str, ...] = ()) -> dict[str, Any] | Unknown | None:
            return c.call(s3, op, absent=absent, resource=arn, Bucket=name)  # noqa: B023

        encryption = _encryption(get("get_bucket_encryption",
                                     ("ServerSideEncryptionConfigurationNotFoundError",)))
        versioning = get("get_bucket_versioning")
        if isinstance(versioning, Unknown):
            versioned: bool | Unknown = versioning
            mfa_delete: bool | Unknown = versioning
        else:
            versioned = (versioning or {}).get("Status") == "Enabled"
            mfa_delete = (versioning or {}).get("MFADelete") == "Enabled"
        pab_answer = get("get_public_access_block", ("NoSuchPublicAccessBlockConfiguration",))
        policy_answer = get("get_bucket_policy", ("NoSuchBucketPolicy",))
        logging = get("get_bucket_logging")
        lock = get("get_object_lock_configuration", ("ObjectLockConfigurationNotFoundError",))
        acl = get("get_bucket_acl")
        tags = get("get_bucket_tagging", ("NoSuchTagSet", "NoSuchTagSetError"))

        pab: PublicAccessBlock | None
        fields: dict[str, Any] = {}
        if isinstance(pab_answer, Unknown):
            fields["public_access_block"] = PublicAccessBlock(
                block_public_acls=pab_answer, block_public_policy=pab_answer,
                ignore_public_acls=pab_answer, restrict_public_buckets=pab_answer)
        else:
            pab = None if pab_answer is None else _pab(pab_answer)
            fields["public_access_block"] = pab
        if isinstance(policy_answer, Unknown):
            fields["policy"] = policy_answer
        else:
            fields["policy"] = (None if policy_answer is None
                                else document(policy_answer.get("Policy"), "bucket policy"))
        if isinstance(logging, Unknown):
            fields["access_logging"] = logging
            fields["log_target"] = logging
        else:
            enabled = (logging or {}).get("LoggingEnabled")
            fields["access_logging"] = bool(enabled)
            fields["log_target"] = (enabled or {}).get("TargetBucket") if enabled else None
        if isinstance(lock, Unknown):
            fields["object_lock"] = lock
        else:
            conf = (lock or {}).get("ObjectLockConfiguration") or {}
            fields["object_lock"] = conf.get("ObjectLockEnabled") == "Enabled"
        fields["acl"] = acl if isinstance(acl, Unknown) else _acl(acl or {})
        tag_value: Mapping[str, str] | Unknown
        tag_value = tags if isinstance(tags, Unknown) else tag_map((tags or {}).get("TagSet"))
        c.emit(S3Bucket(
            **c.base(arn, "AWS::S3::Bucket", name=name, tags=tag_value,
                     region=region if isinstance(region, str) else None),
            bucket_name=name,
            encryption=encryption,
            versioning=versioned,
            mfa_delete=mfa_delete,
            account_public_access_block=account_pab,
            **fields,
        ))
