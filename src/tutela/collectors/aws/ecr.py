"""ECR (regional): repositories with scanning, tag mutability, encryption and policy.

Fills EcrRepository.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tutela.collectors.aws.base import Collector, document
from tutela.collectors.aws.pool import Job
from tutela.model.aws import EcrRepository
from tutela.model.values import Unknown

SERVICE = "ecr"
SCOPE = "regional"
TYPES = (EcrRepository,)


def collect(c: Collector) -> Sequence[Job]:
    repos = c.listing(c.client(), "describe_repositories", "repositories", TYPES)
    return c.fan_out(repos or [], _repositories, "repositories")


def _repositories(c: Collector, chunk: Sequence[Mapping[str, Any]]) -> None:
    ecr = c.client()
    for r in chunk:
        arn = str(r.get("repositoryArn"))
        name = str(r.get("repositoryName"))
        answer = c.call(ecr, "get_repository_policy", absent=("RepositoryPolicyNotFoundException",),
                        resource=arn, repositoryName=name)
        policy = (answer if isinstance(answer, Unknown)
                  else None if answer is None
                  else document(answer.get("policyText"), "repository policy"))
        enc = r.get("encryptionConfiguration") or {}
        c.emit(EcrRepository(
            **c.base(arn, "AWS::ECR::Repository", name=name),
            scan_on_push=bool((r.get("imageScanningConfiguration") or {}).get("scanOnPush")),
            tag_mutability=str(r.get("imageTagMutability", "MUTABLE")),
            encryption_type=str(enc.get("encryptionType", "AES256")),
            kms_key=enc.get("kmsKey"),
            policy=policy,
        ))
