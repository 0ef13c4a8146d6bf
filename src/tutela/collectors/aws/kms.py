"""KMS (regional): customer-managed keys, their rotation, policy and tags.

Fills KmsKey. AWS-managed keys (`aws/s3`...) are left out: their rotation and
policy are AWS's, and Terraform/CloudFormation never declare them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tutela.collectors.aws.base import Collector, document, tag_map
from tutela.collectors.aws.pool import Job
from tutela.model.aws import KmsKey
from tutela.model.values import Unknown

SERVICE = "kms"
SCOPE = "regional"
TYPES = (KmsKey,)


def collect(c: Collector) -> Sequence[Job]:
    keys = c.listing(c.client(), "list_keys", "Keys", TYPES)
    return c.fan_out(keys or [], _keys, "KMS keys")


def _keys(c: Collector, chunk: Sequence[Mapping[str, Any]]) -> None:
    kms = c.client()
    for k in chunk:
        key_id = str(k.get("KeyId"))
        arn = str(k.get("KeyArn") or c.arn("kms", f"key/{key_id}"))
        described = c.call(kms, "describe_key", resource=arn, KeyId=key_id)
        if isinstance(described, Unknown):
            meta: Mapping[str, Any] = {}
        else:
            meta = (described or {}).get("KeyMetadata", {}) or {}
            if meta.get("KeyManager") == "AWS":
                continue
        state = meta.get("KeyState")
        spec = meta.get("KeySpec") or meta.get("CustomerMasterKeySpec")
        symmetric = spec in (None, "SYMMETRIC_DEFAULT")
        rotation: bool | Unknown
        if isinstance(described, Unknown):
            rotation = described
        elif not symmetric or state == "PendingDeletion":
            rotation = False
        else:
            answer = c.call(kms, "get_key_rotation_status", resource=arn, KeyId=key_id)
            rotation = (answer if isinstance(answer, Unknown)
                        else bool((answer or {}).get("KeyRotationEnabled", False)))
        policy_answer = c.call(kms, "get_key_policy", resource=arn, KeyId=key_id,
                               PolicyName="default")
        policy = (policy_answer if isinstance(policy_answer, Unknown)
                  else document((policy_answer or {}).get("Policy"), "key policy"))
        tags = c.pages(kms, "list_resource_tags", "Tags", resource=arn, KeyId=key_id)
        c.emit(KmsKey(
            **c.base(arn, "AWS::KMS::Key", name=key_id,
                     tags=tags if isinstance(tags, Unknown)
                     else tag_map(tags, "TagKey", "TagValue")),
            rotation_enabled=rotation,
            key_spec=described if isinstance(described, Unknown) else (spec or "SYMMETRIC_DEFAULT"),
            deletion_window_days=meta.get("PendingDeletionWindowInDays"),
            policy=policy,
            enabled=described if isinstance(described, Unknown)
            else bool(meta.get("Enabled", True)),
        ))
