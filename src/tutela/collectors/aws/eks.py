"""EKS (regional): clusters with control-plane logging, endpoint access and secrets encryption.

Fills EksCluster.
"""

from __future__ import annotations

from collections.abc import Sequence

from tutela.collectors.aws.base import Collector, tag_map
from tutela.collectors.aws.pool import Job
from tutela.model.aws import EksCluster
from tutela.model.values import Unknown

SERVICE = "eks"
SCOPE = "regional"
TYPES = (EksCluster,)


def collect(c: Collector) -> Sequence[Job]:
    return c.fan_out(c.listing(c.client(), "list_clusters", "clusters", TYPES) or [],
                     _clusters, "clusters")


def _clusters(c: Collector, names: Sequence[str]) -> None:
    eks = c.client()
    for name in names:
        arn = c.arn("eks", f"cluster/{name}")
        answer = c.call(eks, "describe_cluster", resource=arn, name=name)
        if isinstance(answer, Unknown):
            c.emit(EksCluster(**c.base(arn, "AWS::EKS::Cluster", name=name), log_types=answer,
                              endpoint_public_access=answer, endpoint_private_access=answer,
                              public_access_cidrs=answer, secrets_encryption_key=answer,
                              version=answer))
            continue
        cl = (answer or {}).get("cluster") or {}
        vpc = cl.get("resourcesVpcConfig") or {}
        types: list[str] = []
        for entry in (cl.get("logging") or {}).get("clusterLogging", []) or ():
            if entry.get("enabled"):
                types.extend(str(t) for t in entry.get("types", []) or ())
        key = None
        for e in cl.get("encryptionConfig", []) or ():
            if "secrets" in (e.get("resources") or ()):
                key = (e.get("provider") or {}).get("keyArn")
        c.emit(EksCluster(
            **c.base(str(cl.get("arn") or arn), "AWS::EKS::Cluster", name=name,
                     tags=tag_map(cl.get("tags") or {})),
            log_types=tuple(types),
            endpoint_public_access=bool(vpc.get("endpointPublicAccess", True)),
            endpoint_private_access=bool(vpc.get("endpointPrivateAccess", False)),
            public_access_cidrs=tuple(vpc.get("publicAccessCidrs", ["0.0.0.0/0"]) or ()),
            secrets_encryption_key=key,
            version=cl.get("version"),
        ))
