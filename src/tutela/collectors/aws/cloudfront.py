"""CloudFront (global): distributions with viewer/origin protocols, TLS, logging and WAF.

Fills CloudFrontDistribution.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tutela.collectors.aws.base import Collector
from tutela.collectors.aws.pool import Job
from tutela.model.aws import CloudFrontDistribution
from tutela.model.values import Unknown

SERVICE = "cloudfront"
SCOPE = "global"
TYPES = (CloudFrontDistribution,)


def collect(c: Collector) -> Sequence[Job]:
    found = c.listing(c.client(), "list_distributions", "DistributionList.Items", TYPES)
    return c.fan_out(found or [], _distributions, "distributions")


def _distributions(c: Collector, chunk: Sequence[Mapping[str, Any]]) -> None:
    cf = c.client()
    for d in chunk:
        did = str(d.get("Id"))
        arn = str(d.get("ARN") or f"arn:{c.partition}:cloudfront::{c.account}:distribution/{did}")
        answer = c.call(cf, "get_distribution_config", resource=arn, Id=did)
        logging: bool | Unknown
        source: Mapping[str, Any] = d  # the summary, unless the full configuration came back
        if isinstance(answer, Unknown):
            logging = answer
        else:
            conf = (answer or {}).get("DistributionConfig") or {}
            logging = bool((conf.get("Logging") or {}).get("Enabled", False))
            source = conf or d
        behaviours = [source.get("DefaultCacheBehavior") or {}]
        behaviours += list((source.get("CacheBehaviors") or {}).get("Items", []) or [])
        origins = (source.get("Origins") or {}).get("Items", []) or []
        cert = d.get("ViewerCertificate") or {}
        c.emit(CloudFrontDistribution(
            **c.base(arn, "AWS::CloudFront::Distribution", name=did, region="global"),
            viewer_protocol_policies=tuple(str(b.get("ViewerProtocolPolicy", "allow-all"))
                                           for b in behaviours),
            minimum_protocol_version=cert.get("MinimumProtocolVersion"),
            uses_default_certificate=bool(cert.get("CloudFrontDefaultCertificate", False)),
            access_logging=logging,
            web_acl=d.get("WebACLId") or None,
            origin_protocol_policies=tuple(
                str((o.get("CustomOriginConfig") or {}).get("OriginProtocolPolicy"))
                for o in origins if o.get("CustomOriginConfig")),
        ))
