"""3.2.2 and 3.7.1 on AWS: SIEM integration, object-level audit of ePHI, access and
audit logs of load balancers, CDNs, databases, warehouses and search, configuration
recording, threat detection, alarm actions, build logs."""

from __future__ import annotations

from collections.abc import Iterator

from tutela.model.aws import (
    CloudFrontDistribution,
    CloudTrail,
    CodeBuildProject,
    ConfigRecorder,
    DatabaseInstance,
    GuardDutyDetector,
    LoadBalancer,
    MetricAlarm,
    MetricFilter,
    OpenSearchDomain,
    RedshiftCluster,
    S3Bucket,
)
from tutela.model.inventory import Inventory
from tutela.model.values import Unknown, is_unknown
from tutela.rules.api import Severity, Verdict, failed, not_applicable, passed, rule, unknown
from tutela.rules.settings import Settings


@rule(
    code="LOG007",
    controls=("3.7.1.a.2", "3.2.2.b.5", "3.1.1.a.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Deliver the trail to CloudWatch Logs (`cloud_watch_logs_group_arn` and
        `cloud_watch_logs_role_arn`), where the SIEM subscribes, or publish its
        deliveries to an SNS topic the SIEM reads (`sns_topic_name`).
    """,
    snippets={
        "terraform": """
            cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
            cloud_watch_logs_role_arn  = aws_iam_role.trail_to_logs.arn
        """,
        "cloudformation": """
            CloudWatchLogsLogGroupArn: !GetAtt TrailLogGroup.Arn
            CloudWatchLogsRoleArn: !GetAtt TrailToLogsRole.Arn
        """,
    },
)
def trail_feeds_siem(trail: CloudTrail) -> Verdict:
    """CloudTrail feeds a place where events are correlated and alarmed on.

    Why: ENG-POL-003 requires SIEM integration and real-time analysis of access events;
    a trail that only writes files to S3 is read after the fact, if at all, and no metric
    filter or alarm can see it.
    """
    if trail.cloudwatch_logs_group:
        return passed("delivered to CloudWatch Logs")
    if trail.sns_topic:
        return passed("deliveries published to SNS")
    return failed("the trail delivers only to S3: no CloudWatch Logs group or SNS topic",
                  at="cloudwatch_logs_group")


def _bucket_names(bucket: S3Bucket) -> set[str]:
    names = {bucket.address}
    if isinstance(bucket.bucket_name, str):
        names.add(bucket.bucket_name)
    return names


def _source_family(source: str) -> str:
    """Terraform HCL and plans describe the same deployments; other sources their own."""
    return "terraform" if source.startswith("terraform") else source


def _covers_bucket(resources: tuple[str, ...], names: set[str]) -> bool:
    for text in resources:
        if text == "*":
            return True
        for name in names:
            if f"${{{name}." in text or f"${{{name}}}" in text or text == name:
                return True
            if text.startswith(f"arn:aws:s3:::{name}") or text.startswith(
                    f"arn:aws-us-gov:s3:::{name}"):
                rest = text[len("arn:aws:s3:::") + len(name):] if text.startswith(
                    "arn:aws:s3") else text[len("arn:aws-us-gov:s3:::") + len(name):]
                if rest in ("", "/") or rest.startswith("/"):
                    return True
    return False


@rule(
    code="LOG008",
    controls=("3.2.2.b.3", "3.7.1.b.1"),
    severity=Severity.MEDIUM,
    remediation="""
        Record S3 data events for buckets that hold ePHI: an `event_selector` with a
        `data_resource { type = "AWS::S3::Object", values = ["${bucket_arn}/"] }` or an
        advanced event selector on `resources.ARN`.
    """,
    snippets={
        "terraform": """
            event_selector {
              read_write_type           = "All"
              include_management_events = true
              data_resource {
                type   = "AWS::S3::Object"
                values = ["${aws_s3_bucket.records.arn}/"]
              }
            }
        """,
        "cloudformation": """
            EventSelectors:
              - ReadWriteType: All
                IncludeManagementEvents: true
                DataResources:
                  - Type: AWS::S3::Object
                    Values: [!Sub "${RecordsBucket.Arn}/"]
        """,
    },
)
def ephi_bucket_object_access_is_logged(bucket: S3Bucket, inventory: Inventory,
                                        settings: Settings) -> Iterator[Verdict]:
    """Object-level access to ePHI buckets is recorded by CloudTrail.

    Why: management events show who changed a bucket, not who read a patient's file;
    HIPAA audit controls need the object-level record (GetObject, PutObject). Judged only
    for buckets tagged as ePHI whose deployment (Terraform root module, template) declares
    a trail; a trail elsewhere in the scan that names the bucket also counts.
    """
    if is_unknown(bucket.tags):
        yield unknown(f"tags are not known before apply: {bucket.tags.reason}", at="tags")
        return
    if not settings.is_ephi(bucket.tags):
        return
    names = _bucket_names(bucket)
    every = inventory.of(CloudTrail)
    if any(isinstance(t.data_event_resources, tuple)
           and _covers_bucket(t.data_event_resources, names) for t in every):
        yield passed("a trail records its object events")
        return
    own = bucket.deployment_trails
    family = _source_family(bucket.source)
    trails = [t for t in every if (t.address in own if own is not None
                                   else _source_family(t.source) == family)]
    if not trails:
        yield not_applicable("no trail is declared with this bucket")
        return
    unknown_: Unknown | None = None
    for trail in trails:
        resources = trail.data_event_resources
        if isinstance(resources, Unknown):
            unknown_ = resources
        elif resources is None and trail.data_events is True:
            unknown_ = Unknown(f"the data events of {trail.address} were not collected")
    if unknown_ is not None:
        yield unknown(f"a trail's data events are not known: {unknown_.reason}")
        return
    yield failed("no trail records object-level (data) events for this ePHI bucket")


@rule(
    code="LOG009",
    controls=("3.7.1.b.1", "3.2.2.b.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Enable access logs to an S3 bucket:
        `access_logs { bucket = aws_s3_bucket.lb_logs.id, enabled = true }`.
    """,
    snippets={
        "terraform": """
            access_logs {
              bucket  = aws_s3_bucket.lb_logs.id
              prefix  = "public-alb"
              enabled = true
            }
        """,
        "cloudformation": """
            LoadBalancerAttributes:
              - Key: access_logs.s3.enabled
                Value: "true"
              - Key: access_logs.s3.bucket
                Value: !Ref LbLogsBucket
        """,
    },
)
def load_balancer_access_logging(lb: LoadBalancer) -> Verdict:
    """Application and classic load balancers write access logs.

    Why: the load balancer sees every request before the application does: client
    address, path, TLS protocol and status. Without its logs, abuse and reconnaissance
    against the edge leave no trace. Network and gateway load balancers are not
    applicable.
    """
    kind = lb.lb_type
    if is_unknown(kind):
        return unknown(f"load balancer type not known: {kind.reason}", at="lb_type")
    if kind not in ("application", "classic"):
        return not_applicable(f"{kind} load balancers have no request log")
    if not lb.access_logging:
        return failed("access logs are not enabled", at="access_logging")
    return passed()


@rule(
    code="LOG010",
    controls=("3.7.1.b.1",),
    severity=Severity.LOW,
    remediation="""
        Enable standard logging (`logging_config { bucket = ... }`) or CloudFront logging v2
        (a CloudWatch log delivery source for the distribution).
    """,
    snippets={
        "terraform": """
            logging_config {
              bucket          = aws_s3_bucket.cdn_logs.bucket_domain_name
              include_cookies = false
              prefix          = "records-portal/"
            }
        """,
        "cloudformation": """
            Logging:
              Bucket: !GetAtt CdnLogsBucket.DomainName
              Prefix: records-portal/
        """,
    },
)
def cdn_access_logging(distribution: CloudFrontDistribution) -> Verdict:
    """CloudFront distributions write access logs.

    Why: the edge is where scraping, credential stuffing and exploitation attempts first
    show; without access logs they cannot be investigated.
    """
    if not distribution.access_logging:
        return failed("access logging is not enabled", at="access_logging")
    return passed()


def _audit_export(engine: str) -> str | None:
    low = engine.lower()
    if low in ("postgres", "aurora-postgresql"):
        return "postgresql"
    if low in ("mysql", "mariadb", "aurora-mysql", "aurora"):
        return "audit"
    if low.startswith("oracle"):
        return "audit"
    return None


@rule(
    code="LOG011",
    controls=("3.7.1.b.1", "3.2.2.b.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Export the engine's audit log to CloudWatch Logs
        (`enabled_cloudwatch_logs_exports`): `postgresql` (with pgAudit) for PostgreSQL,
        `audit` for MySQL/MariaDB (with the audit plugin) and Oracle.
    """,
    snippets={
        "terraform": 'enabled_cloudwatch_logs_exports = ["postgresql"]',
        "cloudformation": "EnableCloudwatchLogsExports: [postgresql]",
    },
)
def database_audit_logs_exported(db: DatabaseInstance) -> Verdict:
    """Databases export their audit logs to CloudWatch Logs.

    Why: access to ePHI in a database is only visible in the engine's own logs; exported
    to CloudWatch they are retained, protected and reach the SIEM. Aurora members are
    judged on their cluster; engines without an audit log export are not applicable.
    """
    if db.member_of_cluster:
        return not_applicable("log exports are set on the cluster")
    engine = db.engine
    if engine is None:
        return unknown("engine not set", at="engine")
    if is_unknown(engine):
        return unknown(f"engine not known: {engine.reason}", at="engine")
    wanted = _audit_export(engine)
    if wanted is None:
        return not_applicable(f"no audit log export for {engine}")
    exports = db.log_exports
    if is_unknown(exports):
        return unknown(f"log exports not known: {exports.reason}", at="log_exports")
    if wanted not in exports:
        return failed(f"the {wanted} log is not exported to CloudWatch Logs", at="log_exports")
    return passed()


@rule(
    code="LOG012",
    controls=("3.7.1.b.1", "3.2.2.b.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Enable audit logging (`aws_redshift_logging` to S3 or CloudWatch Logs) and
        `enable_user_activity_logging` in the parameter group.
    """,
    snippets={
        "terraform": """
            resource "aws_redshift_logging" "warehouse" {
              cluster_identifier   = aws_redshift_cluster.warehouse.id
              log_destination_type = "cloudwatch"
              log_exports          = ["connectionlog", "userlog", "useractivitylog"]
            }
        """,
        "cloudformation": """
            LoggingProperties:
              LogDestinationType: cloudwatch
              LogExports: [connectionlog, userlog, useractivitylog]
        """,
    },
)
def warehouse_audit_logging(cluster: RedshiftCluster) -> Verdict:
    """Redshift clusters write audit logs.

    Why: connection and user logs are the record of who connected to the warehouse and
    what they ran; Redshift keeps none unless audit logging is enabled.
    """
    if not cluster.audit_logging:
        return failed("audit logging is not enabled", at="audit_logging")
    return passed()


@rule(
    code="LOG013",
    controls=("3.7.1.b.1", "3.2.2.b.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Publish `AUDIT_LOGS` to CloudWatch Logs (`log_publishing_options`), with
        fine-grained access control enabled.
    """,
    snippets={
        "terraform": """
            log_publishing_options {
              log_type                 = "AUDIT_LOGS"
              cloudwatch_log_group_arn = aws_cloudwatch_log_group.search_audit.arn
            }
        """,
        "cloudformation": """
            LogPublishingOptions:
              AUDIT_LOGS:
                Enabled: true
                CloudWatchLogsLogGroupArn: !GetAtt SearchAuditLogs.Arn
        """,
    },
)
def search_domain_audit_logging(domain: OpenSearchDomain) -> Verdict:
    """OpenSearch domains publish audit logs.

    Why: audit logs record who searched and read which indices, the access trail for the
    copies of records a search domain holds.
    """
    if not domain.audit_logs:
        return failed("audit logs are not published", at="audit_logs")
    return passed()


@rule(
    code="LOG014",
    controls=("3.4.1.b.2", "3.1.2.a.3", "3.1.1.a.5", "3.4.1.b.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Record every supported resource type (`recording_group { all_supported = true }`),
        include global resources (IAM) in one region, and start the recorder
        (`aws_config_configuration_recorder_status { is_enabled = true }`).
    """,
    snippets={
        "terraform": """
            recording_group {
              all_supported                 = true
              include_global_resource_types = true
            }
        """,
        "cloudformation": """
            RecordingGroup:
              AllSupported: true
              IncludeGlobalResourceTypes: true
        """,
    },
)
def config_records_all_resources(recorder: ConfigRecorder, inventory: Inventory) -> Verdict:
    """AWS Config records every resource type, global ones included, and is running.

    Why: Config's configuration history is how drift and unauthorized changes are
    detected and how baselines are enforced with Config rules; resources it does not
    record change unseen. Global resources need to be recorded in one region only, so a
    recorder without them passes when another recorder of the scan has them.
    """
    if recorder.recording is False:
        return failed("the recorder is never started (no recorder status enabling it)",
                      at="recording")
    if not recorder.all_supported:
        return failed("the recorder records only some resource types", at="all_supported")
    if recorder.include_global_resources:
        return passed()
    for other in inventory.of(ConfigRecorder):
        if other is not recorder and other.include_global_resources is True:
            return passed(f"global resources recorded by {other.address}")
    return failed("global resources (IAM) are not recorded by any recorder",
                  at="include_global_resources")


@rule(
    code="LOG015",
    controls=("3.7.1.a.3", "3.2.1.b.3", "3.2.2.b.2"),
    severity=Severity.HIGH,
    remediation="Enable the detector: `enable = true` (and in every region, through the "
                "organization's delegated administrator).",
    snippets={"terraform": "enable = true", "cloudformation": "Enable: true"},
)
def threat_detection_enabled(detector: GuardDutyDetector) -> Verdict:
    """GuardDuty detectors are enabled.

    Why: GuardDuty is AWS's managed threat detection: compromised credentials, unusual
    API use by service accounts, crypto-mining and exfiltration. A disabled detector
    detects nothing.
    """
    if not detector.enabled:
        return failed("the detector is disabled", at="enabled")
    return passed()


_RUNTIME_FEATURES = ("RUNTIME_MONITORING", "EKS_RUNTIME_MONITORING")


@rule(
    code="LOG016",
    controls=("3.5.1.b.2", "3.1.2.a.5"),
    severity=Severity.MEDIUM,
    remediation="""
        Enable GuardDuty Runtime Monitoring (`aws_guardduty_detector_feature` named
        `RUNTIME_MONITORING` with the EKS, ECS and EC2 agent management configurations).
    """,
    snippets={
        "terraform": """
            resource "aws_guardduty_detector_feature" "runtime" {
              detector_id = aws_guardduty_detector.main.id
              name        = "RUNTIME_MONITORING"
              status      = "ENABLED"
              additional_configuration {
                name   = "EKS_ADDON_MANAGEMENT"
                status = "ENABLED"
              }
            }
        """,
        "cloudformation": """
            Features:
              - Name: RUNTIME_MONITORING
                Status: ENABLED
                AdditionalConfiguration:
                  - Name: EKS_ADDON_MANAGEMENT
                    Status: ENABLED
        """,
    },
)
def runtime_threat_detection_enabled(detector: GuardDutyDetector) -> Verdict:
    """GuardDuty Runtime Monitoring watches containers and instances.

    Why: ENG-POL-003 requires runtime security monitoring for containers and endpoint
    detection and response on hosts; Runtime Monitoring's agent sees process, file and
    network activity inside EKS pods, ECS tasks and EC2 instances.
    """
    if not detector.enabled:
        return not_applicable("the detector is disabled (LOG015)")
    features = detector.features
    if features is None:
        return unknown("the detector's protection plans were not collected", at="features")
    if is_unknown(features):
        return unknown(f"protection plans not known: {features.reason}", at="features")
    if any(features.get(name) for name in _RUNTIME_FEATURES):
        return passed()
    return failed("Runtime Monitoring is not enabled", at="features")


def _produced_by_filter(alarm: MetricAlarm, inventory: Inventory) -> bool:
    for metric_filter in inventory.of(MetricFilter):
        name, space = metric_filter.metric_name, metric_filter.metric_namespace
        if isinstance(name, str) and name == alarm.metric_name and (
                not isinstance(space, str) or not isinstance(alarm.metric_namespace, str)
                or space == alarm.metric_namespace):
            return True
    return False


@rule(
    code="LOG017",
    controls=("3.7.2.a.1", "3.2.2.b.2"),
    severity=Severity.MEDIUM,
    remediation="""
        Send the alarm to the incident channel: `alarm_actions = [aws_sns_topic.security.arn]`
        with `actions_enabled = true`.
    """,
    snippets={
        "terraform": "alarm_actions = [aws_sns_topic.security_alerts.arn]",
        "cloudformation": "AlarmActions: [!Ref SecurityAlerts]",
    },
)
def log_alarm_notifies(alarm: MetricAlarm, inventory: Inventory) -> Verdict:
    """Alarms on log metric filters notify someone.

    Why: an alarm on a security metric filter without actions changes state in the
    console and nobody learns of it; ENG-POL-003 requires automated alerting and incident
    response. Alarms on other metrics are not applicable.
    """
    if not _produced_by_filter(alarm, inventory):
        return not_applicable("not an alarm on a log metric filter")
    if not alarm.actions_enabled:
        return failed("alarm actions are disabled", at="actions_enabled")
    actions = alarm.alarm_actions
    if is_unknown(actions):
        return unknown(f"alarm actions not known: {actions.reason}", at="alarm_actions")
    if not actions:
        return failed("the alarm has no actions", at="alarm_actions")
    return passed()


@rule(
    code="CI001",
    controls=("3.4.2.b.5", "3.5.1.b.1"),
    severity=Severity.MEDIUM,
    remediation="""
        Turn off `privileged_mode` unless the project builds container images; then keep
        it in a dedicated project with no deployment permissions, or build with a
        daemonless builder (kaniko, buildah).
    """,
    snippets={
        "terraform": """
            environment {
              compute_type    = "BUILD_GENERAL1_SMALL"
              image           = "aws/codebuild/amazonlinux2-x86_64-standard:5.0"
              type            = "LINUX_CONTAINER"
              privileged_mode = false
            }
        """,
        "cloudformation": "PrivilegedMode: false",
    },
)
def build_not_privileged(project: CodeBuildProject) -> Verdict:
    """Build projects do not run privileged containers.

    Why: a privileged build container has root on the build host's Docker daemon; a
    malicious dependency or pull request can escape the build and reach other builds'
    credentials. ENG-POL-003 requires isolation of deployment environments.
    """
    if project.privileged_mode:
        return failed("the build runs in privileged mode", at="privileged_mode")
    return passed()


@rule(
    code="CI002",
    controls=("3.4.2.b.3",),
    severity=Severity.MEDIUM,
    remediation="""
        Keep build logs: leave CloudWatch Logs enabled (`logs_config { cloudwatch_logs
        { status = "ENABLED" } }`) or send them to S3.
    """,
    snippets={
        "terraform": """
            logs_config {
              cloudwatch_logs {
                status     = "ENABLED"
                group_name = aws_cloudwatch_log_group.builds.name
              }
            }
        """,
        "cloudformation": """
            LogsConfig:
              CloudWatchLogs:
                Status: ENABLED
        """,
    },
)
def build_logs_kept(project: CodeBuildProject) -> Verdict:
    """Build projects keep their logs.

    Why: ENG-POL-003 requires audit logging of pipeline activity; build logs show what
    was built, from which commit, and what the build did with its credentials.
    """
    if not project.logs_enabled:
        return failed("both CloudWatch Logs and S3 build logs are disabled", at="logs_enabled")
    return passed()


