"""ACM (regional): certificates with their expiry, key algorithm, status and use.

Fills AcmCertificate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tutela.collectors.aws.base import Collector, when
from tutela.collectors.aws.pool import Job
from tutela.model.aws import AcmCertificate
from tutela.model.values import Unknown

SERVICE = "acm"
SCOPE = "regional"
TYPES = (AcmCertificate,)


def collect(c: Collector) -> Sequence[Job]:
    certs = c.listing(c.client(), "list_certificates", "CertificateSummaryList", TYPES)
    return c.fan_out(certs or [], _certificates, "certificates")


def _certificates(c: Collector, chunk: Sequence[Mapping[str, Any]]) -> None:
    acm = c.client()
    for s in chunk:
        arn = str(s.get("CertificateArn"))
        answer = c.call(acm, "describe_certificate", resource=arn, CertificateArn=arn)
        if isinstance(answer, Unknown):
            c.emit(AcmCertificate(
                **c.base(arn, "AWS::CertificateManager::Certificate", name=s.get("DomainName")),
                domain_name=s.get("DomainName"), not_after=when(s.get("NotAfter")),
                key_algorithm=answer, status=answer, in_use=answer))
            continue
        cert = (answer or {}).get("Certificate") or {}
        c.emit(AcmCertificate(
            **c.base(arn, "AWS::CertificateManager::Certificate",
                     name=cert.get("DomainName") or s.get("DomainName")),
            domain_name=cert.get("DomainName") or s.get("DomainName"),
            not_after=when(cert.get("NotAfter")),
            key_algorithm=cert.get("KeyAlgorithm"),
            status=cert.get("Status"),
            in_use=bool(cert.get("InUseBy")),
        ))
