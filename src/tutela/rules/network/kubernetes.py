"""3.1.2 attack surface and 3.3.1 encryption in transit: Kubernetes Services, Ingresses and
unnecessary cluster services."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from tutela.model.container import ImageRef
from tutela.model.kubernetes import Ingress, Service, Workload
from tutela.model.values import is_unknown
from tutela.rules.api import Severity, Verdict, failed, not_applicable, or_passed, passed, rule

# --------------------------------------------------------------------------- Services

ADMIN_PORTS: dict[int, str] = {
    21: "FTP",
    22: "SSH",
    23: "Telnet",
    111: "rpcbind",
    135: "MS RPC",
    139: "NetBIOS",
    445: "SMB",
    389: "LDAP",
    873: "rsync",
    1433: "SQL Server",
    1521: "Oracle",
    2049: "NFS",
    2181: "ZooKeeper",
    2375: "Docker API",
    2376: "Docker API (TLS)",
    2379: "etcd",
    2380: "etcd peer",
    3306: "MySQL",
    3389: "RDP",
    5432: "PostgreSQL",
    5601: "Kibana",
    5672: "AMQP",
    5900: "VNC",
    5984: "CouchDB",
    5985: "WinRM",
    5986: "WinRM (TLS)",
    6379: "Redis",
    7000: "Cassandra",
    7001: "Cassandra (TLS)",
    8086: "InfluxDB",
    8500: "Consul",
    9042: "Cassandra",
    9092: "Kafka",
    9200: "Elasticsearch",
    9300: "Elasticsearch transport",
    10250: "kubelet",
    10255: "kubelet read-only",
    11211: "Memcached",
    15672: "RabbitMQ management",
    27017: "MongoDB",
    27018: "MongoDB",
    27019: "MongoDB",
    61616: "ActiveMQ",
}
"""Remote administration, database, cache, broker and node-control ports."""

_INTERNAL_LB_ANNOTATIONS: dict[str, tuple[str, ...]] = {
    # AWS (in-tree: any value marks the load balancer internal; "false" is the exception)
    "service.beta.kubernetes.io/aws-load-balancer-internal": ("*",),
    "service.beta.kubernetes.io/aws-load-balancer-scheme": ("internal",),
    "service.beta.kubernetes.io/azure-load-balancer-internal": ("true",),
    "cloud.google.com/load-balancer-type": ("internal",),
    "networking.gke.io/load-balancer-type": ("internal",),
    "service.beta.kubernetes.io/oci-load-balancer-internal": ("true",),
    "service.beta.kubernetes.io/openstack-internal-load-balancer": ("true",),
    "service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type": ("private",),
    "service.beta.kubernetes.io/do-loadbalancer-type": ("internal",),
}
_OPEN_RANGES = ("0.0.0.0/0", "::/0")


def internal_load_balancer(service: Service) -> bool:
    for key, values in _INTERNAL_LB_ANNOTATIONS.items():
        value = service.annotations.get(key)
        if value is None:
            continue
        value = value.strip().lower()
        if values == ("*",) and value not in ("", "false"):
            return True
        if value in values:
            return True
    return False


def _source_ranges(service: Service) -> tuple[str, ...]:
    ranges = list(service.load_balancer_source_ranges)
    note = service.annotations.get("service.beta.kubernetes.io/load-balancer-source-ranges")
    if note:
        ranges.extend(r.strip() for r in note.split(",") if r.strip())
    return tuple(ranges)


@rule(
    code="NET301",
    controls=("3.1.2.a.2",),
    severity=Severity.HIGH,
    remediation="""
        Keep database, cache, broker and administration ports on ClusterIP Services reached
        through NetworkPolicies; if something outside the cluster needs them, use an
        internal load balancer restricted with `loadBalancerSourceRanges`.
    """,
    snippets={
        "kubernetes": """
        apiVersion: v1
        kind: Service
        metadata:
          name: records-db
        spec:
          type: ClusterIP
          ports:
            - name: postgres
              port: 5432
    """
    },
)
def service_exposes_no_admin_ports(service: Service) -> Iterator[Verdict]:
    """Services do not expose database or administration ports outside the cluster.

    Why: a LoadBalancer (or NodePort, or external IP) Service publishes its ports beyond
    the cluster's network policies; SSH, RDP, database and broker ports reachable from the
    network are the first thing attackers scan for. Internal load balancers and load
    balancers restricted by source ranges pass.
    """
    kind = service.service_type
    exposed = {p for p in (*service.ports, *service.target_ports) if p in ADMIN_PORTS}
    if kind not in ("LoadBalancer", "NodePort") and not service.external_ips:
        yield passed(f"a {kind} Service is reachable only inside the cluster")
        return
    if not exposed:
        yield passed("no database or administration port exposed")
        return
    names = ", ".join(f"{p} ({ADMIN_PORTS[p]})" for p in sorted(exposed))
    if service.external_ips:
        yield failed(f"external IPs expose {names}", at="spec.externalIPs")
        return
    if kind == "NodePort":
        yield failed(f"a NodePort Service exposes {names} on every node", at="spec.ports")
        return
    if internal_load_balancer(service):
        yield passed(f"an internal load balancer exposes {names}")
        return
    ranges = _source_ranges(service)
    if ranges and not set(ranges) & set(_OPEN_RANGES):
        yield passed(f"{names} restricted to {', '.join(ranges)}")
        return
    yield failed(f"a public load balancer exposes {names}", at="spec.ports")


# --------------------------------------------------------------------------- Ingress

_TLS_AT_LOAD_BALANCER = (
    "alb.ingress.kubernetes.io/certificate-arn",
    "ingress.gcp.kubernetes.io/pre-shared-cert",
    "networking.gke.io/managed-certificates",
    "appgw.ingress.kubernetes.io/appgw-ssl-certificate",
    "service.beta.kubernetes.io/aws-load-balancer-ssl-cert",
)


def _alb_listeners(ingress: Ingress) -> set[str] | None:
    text = ingress.annotations.get("alb.ingress.kubernetes.io/listen-ports")
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return {p.upper() for p in re.findall(r"HTTPS?", text, re.IGNORECASE)}
    if not isinstance(value, list):
        return None
    return {str(k).upper() for item in value if isinstance(item, dict) for k in item}


def _host_covered(host: str, tls_hosts: tuple[str, ...]) -> bool:
    """A certificate name covers the host itself, or one label under a `*.` wildcard."""
    parent = host.split(".", 1)[1] if "." in host else ""
    return any(host == t or (t.startswith("*.") and parent == t[2:]) for t in tls_hosts)


@rule(
    code="NET302",
    controls=("3.3.1.b.1", "3.1.1.a.2"),
    severity=Severity.HIGH,
    remediation="""
        Add a `tls` section naming every host with a certificate Secret (cert-manager can
        issue it), or terminate TLS at the cloud load balancer with a certificate annotation;
        keep the HTTP to HTTPS redirect on.
    """,
    snippets={
        "kubernetes": """
        metadata:
          annotations:
            cert-manager.io/cluster-issuer: internal-ca
        spec:
          tls:
            - hosts: [records.example.org]
              secretName: records-tls
    """
    },
)
def ingress_terminates_tls(ingress: Ingress) -> Iterator[Verdict]:
    """Ingresses serve their hosts over TLS.

    Why: an Ingress without TLS serves every request, with its credentials and health data,
    in clear text. TLS may be configured in the Ingress (`spec.tls`) or at the cloud load
    balancer (ALB, GCE, Application Gateway certificate annotations).
    """
    notes = ingress.annotations
    alb = _alb_listeners(ingress)
    at_lb = any(notes.get(key) for key in _TLS_AT_LOAD_BALANCER) or (
        alb is not None and "HTTPS" in alb
    )
    if ingress.tls_entries == 0 and not at_lb:
        yield failed("no TLS: the Ingress serves plain HTTP", at="spec")
        return

    def problems() -> Iterator[Verdict]:
        if ingress.tls_entries and not ingress.tls_without_hosts and ingress.tls_hosts:
            bare = [h for h in ingress.hosts if not _host_covered(h, ingress.tls_hosts)]
            if bare:
                yield failed(f"hosts without TLS: {', '.join(bare)}", at="spec.tls")
        redirect = notes.get("nginx.ingress.kubernetes.io/ssl-redirect", "").lower()
        forced = notes.get("nginx.ingress.kubernetes.io/force-ssl-redirect", "").lower() == "true"
        if redirect == "false" and not forced:
            yield failed(
                "ssl-redirect is off: plain HTTP is served too",
                at="metadata.annotations.nginx.ingress.kubernetes.io/ssl-redirect",
            )
        if (
            alb is not None
            and "HTTP" in alb
            and not notes.get("alb.ingress.kubernetes.io/ssl-redirect")
        ):
            yield failed(
                "the ALB also listens on plain HTTP without a redirect to HTTPS",
                at="metadata.annotations.alb.ingress.kubernetes.io/listen-ports",
            )

    yield from or_passed(problems(), "served over TLS")


# --------------------------------------------------------------------------- unnecessary services

_UNNECESSARY_IMAGES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "the Kubernetes dashboard",
        re.compile(
            r"(^|/)(kubernetesui/dashboard(-(api|web|auth))?|kubernetes-dashboard(-[a-z0-9]+)?)$"
        ),
    ),
    ("Helm 2's Tiller", re.compile(r"(^|/)tiller$")),
)


def unnecessary_service(image: str) -> str | None:
    """What unnecessary cluster service `image` runs, or None."""
    repository = ImageRef.parse(image).repository.lower()
    for what, pattern in _UNNECESSARY_IMAGES:
        if pattern.search(repository):
            return what
    return None


@rule(
    code="NET303",
    controls=("3.1.2.a.2",),
    severity=Severity.MEDIUM,
    remediation="""
        Remove the Kubernetes dashboard and Tiller. Use `kubectl` (or a read-only console
        behind SSO) for visibility and Helm 3, which needs no in-cluster component.
    """,
)
def cluster_runs_no_dashboard_or_tiller(workload: Workload) -> Iterator[Verdict]:
    """The cluster runs no Kubernetes dashboard or Tiller.

    Why: both are in-cluster services with broad credentials that have been the entry
    point of real cluster compromises: exposed dashboards with cluster-admin tokens, and
    Tiller's unauthenticated gRPC port that installs anything.
    """
    hits = 0
    for i, c in enumerate(workload.pod.containers):
        if c.image is None or is_unknown(c.image):
            continue
        what = unnecessary_service(c.image)
        if what:
            hits += 1
            yield failed(
                f"container {c.name} runs {what} ({c.image})",
                at=f"{workload.pod.path}.containers[{i}].image",
                subject=c.name,
            )
    if not hits:
        if not workload.pod.containers:
            yield not_applicable("no container")
        else:
            yield passed("no dashboard or Tiller")
