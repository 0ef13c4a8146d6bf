"""Secrets Manager (regional): secrets with their key and rotation.

Fills SecretsManagerSecret.
"""

from __future__ import annotations

from collections.abc import Sequence

from tutela.collectors.aws.base import Collector, tag_map, when
from tutela.collectors.aws.pool import Job
from tutela.model.aws import SecretsManagerSecret

SERVICE = "secretsmanager"
SCOPE = "regional"
TYPES = (SecretsManagerSecret,)


def collect(c: Collector) -> Sequence[Job]:
    for s in c.listing(c.client(), "list_secrets", "SecretList", TYPES) or ():
        rules = s.get("RotationRules") or {}
        c.emit(SecretsManagerSecret(
            **c.base(str(s.get("ARN")), "AWS::SecretsManager::Secret", name=s.get("Name"),
                     tags=tag_map(s.get("Tags"))),
            kms_key=s.get("KmsKeyId"),
            rotation_enabled=bool(s.get("RotationEnabled", False)),
            rotation_days=rules.get("AutomaticallyAfterDays"),
            last_rotated=when(s.get("LastRotatedDate")),
        ))
    return ()
