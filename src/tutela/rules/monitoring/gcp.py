"""3.2.2 and 3.7 on Google Cloud: audit logs, log retention and integrity, platform logs."""

from __future__ import annotations

from collections.abc import Iterator

from tutela.model.gcp import (
    AuditConfig,
    GkeCluster,
    LoggingBucket,
    LogSink,
    SqlDatabaseInstance,
    StorageBucket,
    Subnetwork,
)
from tutela.model.inventory import Inventory
from tutela.model.values import PartialString, is_unknown
from tutela.rules.api import (
    Severity,
    Verdict,
    failed,
    not_applicable,
    or_passed,
    passed,
    rule,
    unknown,
)
from tutela.rules.settings import Settings

_DAY = 86400
DATA_ACCESS_TYPES = ("DATA_READ", "DATA_WRITE")
POSTGRES_CONNECTION_FLAGS = ("log_connections", "log_disconnections")
# Subnet purposes that carry no VM traffic and do not support flow logs.
_PROXY_PURPOSES = ("REGIONAL_MANAGED_PROXY", "GLOBAL_MANAGED_PROXY",
                   "INTERNAL_HTTPS_LOAD_BALANCER", "PRIVATE_SERVICE_CONNECT", "PRIVATE_NAT")


@rule(
    code="LOG201",
    controls=("3.2.2.b.3", "3.7.1.b.1", "3.3.2.b.3"),
    severity=Severity.HIGH,
    remediation="""
        Record Data Access audit logs for all services, without exemptions:
        `google_project_iam_audit_config` with `service = "allServices"` and
        `DATA_READ` and `DATA_WRITE` (and `ADMIN_READ`) log configs.
    """,
    snippets={
        "terraform": """
            resource "google_project_iam_audit_config" "all" {
              project = var.project_id
              service = "allServices"
              audit_log_config {
                log_type = "ADMIN_READ"
              }
              audit_log_config {
                log_type = "DATA_READ"
              }
              audit_log_config {
                log_type = "DATA_WRITE"
              }
            }
        """,
    },
)
def gcp_audit_config_records_data_access(config: AuditConfig) -> Iterator[Verdict]:
    """Cloud Audit Logs record data reads and writes for all services and users.

    Why: Admin Activity logs say who changed what, but only Data Access logs say who read
    which patient records, which HIPAA audit controls require. Exempted members are
    blind spots. Service-specific configurations add to `allServices` and only fail on
    exemptions.
    """
    exempted = config.exempted_members
    if is_unknown(exempted):
        yield unknown(f"exempted members not known: {exempted.reason}", at="exempted_members")
        return
    if exempted:
        yield failed(f"audit logging exempts {', '.join(exempted)}", at="exempted_members")
        return
    service = config.service
    if is_unknown(service):
        yield unknown(f"service not known: {service.reason}", at="service")
        return
    if service != "allServices":
        yield passed(f"{service} audit configuration has no exemptions")
        return
    types = config.log_types
    if is_unknown(types):
        yield unknown(f"log types not known: {types.reason}", at="log_types")
        return
    missing = [t for t in DATA_ACCESS_TYPES if t not in types]
    if missing:
        yield failed(f"Data Access log types missing: {', '.join(missing)}", at="log_types")
        return
    yield passed("DATA_READ and DATA_WRITE recorded for all services")


@rule(
    code="LOG202",
    controls=("3.7.1.b.2", "3.2.2.b.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Keep logs at least the organisation's minimum (`[settings] log_retention_days`,
        default 365): `retention_days = 365` on the log bucket (the default is 30).
    """,
    snippets={
        "terraform": """
            resource "google_logging_project_bucket_config" "default" {
              project        = var.project_id
              location       = "us"
              bucket_id      = "_Default"
              retention_days = 400
            }
        """,
    },
)
def logging_bucket_retention_meets_minimum(bucket: LoggingBucket, settings: Settings
                                           ) -> Verdict:
    """Cloud Logging buckets keep logs at least as long as the policy requires.

    Why: investigations and HIPAA audits need logs that reach back far enough; the
    30-day default silently destroys evidence.
    """
    days = bucket.retention_days
    if is_unknown(days):
        return unknown(f"retention_days not known: {days.reason}", at="retention_days")
    if days is not None and days < settings.log_retention_days:
        return failed(f"retention is {days} days, below the minimum of "
                      f"{settings.log_retention_days}", at="retention_days")
    return passed(f"retention {days} days")


def _log_destinations(inventory: Inventory) -> set[str]:
    names: set[str] = set()
    for sink in inventory.of(LogSink):
        if sink.disabled is True:
            continue
        bucket = sink.storage_bucket
        if bucket:
            names.add(bucket)
    for other in inventory.of(StorageBucket):
        target = other.access_log_bucket
        if isinstance(target, str):
            names.add(target)
    return names


@rule(
    code="LOG203",
    controls=("3.7.1.b.5", "3.7.1.b.4", "3.7.2.a.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Give buckets that receive exported logs a locked retention policy at least as long
        as the log retention minimum: `retention_policy { retention_period = 31536000,
        is_locked = true }`.
    """,
    snippets={
        "terraform": """
            retention_policy {
              retention_period = 31536000 # 365 days
              is_locked        = true
            }
        """,
    },
)
def gcs_log_bucket_retention_locked(bucket: StorageBucket, settings: Settings,
                                    inventory: Inventory) -> Verdict:
    """Buckets that receive exported logs hold them under a locked retention policy.

    Why: a locked retention policy (Bucket Lock) makes log objects impossible to delete
    or overwrite before they expire, even for project owners, which preserves evidence
    and makes tampering detectable. Buckets that no log sink or access log in the scan
    writes to are not applicable.
    """
    names = _log_destinations(inventory)
    name = bucket.bucket_name
    known = name.template if isinstance(name, PartialString) else name
    if bucket.address not in names and (not isinstance(known, str) or known not in names):
        return not_applicable("not a log destination in this scan")
    period = bucket.retention_period_seconds
    if is_unknown(period):
        return unknown(f"retention period not known: {period.reason}",
                       at="retention_period_seconds")
    if period is None:
        return failed("the log bucket has no retention policy", at="retention_period_seconds")
    wanted = settings.log_retention_days
    if period < wanted * _DAY:
        return failed(f"logs are retained {period // _DAY} days, below the minimum of "
                      f"{wanted}", at="retention_period_seconds")
    locked = bucket.retention_locked
    if is_unknown(locked):
        return unknown(f"is_locked not known: {locked.reason}", at="retention_locked")
    if not locked:
        return failed("the retention policy is not locked", at="retention_locked")
    return passed(f"locked retention of {period // _DAY} days")


@rule(
    code="LOG204",
    controls=("3.7.1.b.1", "3.2.2.b.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Keep Cloud Logging and Cloud Monitoring on for the cluster (the defaults): do not
        set `logging_service`/`monitoring_service` to `"none"` or `enable_components = []`.
    """,
    snippets={
        "terraform": """
            logging_config {
              enable_components = ["SYSTEM_COMPONENTS", "WORKLOADS", "APISERVER"]
            }
        """,
    },
)
def gke_logging_and_monitoring_enabled(cluster: GkeCluster) -> Iterator[Verdict]:
    """GKE clusters send logs and metrics to Cloud Logging and Monitoring.

    Why: control-plane and workload logs are the record of what happened in the
    cluster; with logging off, an intrusion leaves no trace.
    """
    checks = (("logging_service", cluster.logging_service, "logging"),
              ("monitoring_service", cluster.monitoring_service, "monitoring"))

    def problems() -> Iterator[Verdict]:
        for field, service, label in checks:
            if is_unknown(service):
                yield unknown(f"{field} not known: {service.reason}", at=field, subject=field)
            elif (service or "").lower() == "none":
                yield failed(f"Cloud {label.capitalize()} is disabled", at=field, subject=field)
        components = cluster.logging_components
        if is_unknown(components):
            yield unknown(f"logging components not known: {components.reason}",
                          at="logging_components", subject="logging_components")
        elif components is not None and not components:
            yield failed("no logging components are enabled", at="logging_components",
                         subject="logging_components")

    return or_passed(problems(), "logging and monitoring enabled")


@rule(
    code="LOG205",
    controls=("3.2.2.b.3", "3.7.1.b.1"),
    severity=Severity.LOW,
    remediation="""
        Log PostgreSQL connections: `database_flags` `log_connections = on` and
        `log_disconnections = on`.
    """,
    snippets={
        "terraform": """
            database_flags {
              name  = "log_connections"
              value = "on"
            }
            database_flags {
              name  = "log_disconnections"
              value = "on"
            }
        """,
    },
)
def cloud_sql_postgres_logs_connections(db: SqlDatabaseInstance) -> Iterator[Verdict]:
    """Cloud SQL for PostgreSQL logs connections and disconnections.

    Why: connection logs show who connected to the database, from where and for how
    long; Cloud SQL leaves them off by default. Other engines are not applicable.
    """
    engine = db.engine
    if is_unknown(engine):
        yield unknown(f"database version not known: {engine.reason}")
        return
    if engine != "postgres":
        yield not_applicable(f"{engine or 'unknown'} engine")
        return
    flags = db.flags
    if is_unknown(flags):
        yield unknown(f"database flags not known: {flags.reason}", at="flags")
        return
    missing = [f for f in POSTGRES_CONNECTION_FLAGS if flags.get(f) != "on"]
    for flag in missing:
        yield failed(f"{flag} is not on", at="flags", subject=flag)
    if not missing:
        yield passed("connections and disconnections are logged")


@rule(
    code="LOG206",
    controls=("3.7.1.b.1", "3.2.2.b.1"),
    severity=Severity.LOW,
    remediation="Enable VPC Flow Logs: add a `log_config` block to the subnetwork.",
    snippets={
        "terraform": """
            log_config {
              aggregation_interval = "INTERVAL_5_SEC"
              flow_sampling        = 0.5
              metadata             = "INCLUDE_ALL_METADATA"
            }
        """,
    },
)
def gcp_subnetwork_flow_logs(subnet: Subnetwork) -> Verdict:
    """VPC subnetworks record flow logs.

    Why: flow logs are the network record of which hosts talked to which, the evidence
    needed to scope a breach. Proxy-only and Private Service Connect subnets carry no
    VM traffic and are not applicable.
    """
    purpose = subnet.purpose
    if is_unknown(purpose):
        return unknown(f"purpose not known: {purpose.reason}", at="purpose")
    if purpose in _PROXY_PURPOSES:
        return not_applicable(f"a {purpose} subnet")
    flag = subnet.flow_logs
    if is_unknown(flag):
        return unknown(f"log_config not known: {flag.reason}", at="flow_logs")
    if not flag:
        return failed("VPC flow logs are not enabled", at="flow_logs")
    return passed()
