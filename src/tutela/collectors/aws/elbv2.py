"""Elastic Load Balancing v2 (regional): listeners with protocol, TLS policy and certificate.

Fills LoadBalancerListener.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tutela.collectors.aws.base import Collector
from tutela.collectors.aws.pool import Job
from tutela.model.aws import LoadBalancerListener
from tutela.model.values import Unknown

SERVICE = "elbv2"
SCOPE = "regional"
TYPES = (LoadBalancerListener,)


def collect(c: Collector) -> Sequence[Job]:
    lbs = c.listing(c.client(), "describe_load_balancers", "LoadBalancers", TYPES)
    return c.fan_out(lbs or [], _listeners, "load balancers")


def _redirects(actions: Sequence[Mapping[str, Any]]) -> bool:
    return any(a.get("Type") == "redirect"
               and str((a.get("RedirectConfig") or {}).get("Protocol", "")).upper() == "HTTPS"
               for a in actions or ())


def _listeners(c: Collector, chunk: Sequence[Mapping[str, Any]]) -> None:
    elb = c.client()
    for lb in chunk:
        lb_arn = str(lb.get("LoadBalancerArn"))
        listeners = c.pages(elb, "describe_listeners", "Listeners", resource=lb_arn,
                            LoadBalancerArn=lb_arn)
        if isinstance(listeners, Unknown):
            c.emit(c.placeholder(LoadBalancerListener, listeners))
            continue
        for li in listeners or ():
            certs = li.get("Certificates") or []
            c.emit(LoadBalancerListener(
                **c.base(str(li.get("ListenerArn")), "AWS::ElasticLoadBalancingV2::Listener",
                         name=f"{lb.get('LoadBalancerName')}:{li.get('Port')}"),
                protocol=li.get("Protocol"),
                port=li.get("Port"),
                ssl_policy=li.get("SslPolicy"),
                redirects_to_https=_redirects(li.get("DefaultActions") or []),
                certificate=certs[0].get("CertificateArn") if certs else None,
            ))
