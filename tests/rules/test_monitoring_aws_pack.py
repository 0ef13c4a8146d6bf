"""LOG007-LOG024, CI001-CI002, CTR013 on the model."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import pytest
from tests.rules._aws_pack import EPHI, FAIL, NA, NE, PASS, U, doc, make, outcomes

from tutela.model.aws import (
    CloudFrontDistribution,
    CloudTrail,
    CodeBuildProject,
    ConfigRecorder,
    DatabaseInstance,
    EcrRepository,
    EventRule,
    GuardDutyDetector,
    LoadBalancer,
    LogGroup,
    MetricAlarm,
    MetricFilter,
    OpenSearchDomain,
    RedshiftCluster,
    S3Bucket,
)
from tutela.model.base import Resource
from tutela.model.values import Reference
from tutela.rules.api import Rule, Status
from tutela.rules.containers import aws as containers
from tutela.rules.monitoring import aws_alarms as alarms
from tutela.rules.monitoring import aws_pack as pack


def db(engine: Any, exports: Any = (), **f: Any) -> DatabaseInstance:
    return make(DatabaseInstance, engine=engine, log_exports=exports, **f)


CASES: list[tuple[str, Rule, Resource, set[Status]]] = [
    ("trail to logs", pack.trail_feeds_siem, make(CloudTrail, cloudwatch_logs_group="arn:x"),
     {PASS}),
    ("trail to sns", pack.trail_feeds_siem, make(CloudTrail, sns_topic="trail-deliveries"),
     {PASS}),
    ("trail s3 only", pack.trail_feeds_siem, make(CloudTrail), {FAIL}),
    ("alb logs", pack.load_balancer_access_logging, make(LoadBalancer, access_logging=True),
     {PASS}),
    ("alb no logs", pack.load_balancer_access_logging, make(LoadBalancer), {FAIL}),
    ("nlb", pack.load_balancer_access_logging, make(LoadBalancer, lb_type="network"), {NA}),
    ("alb logs unknown", pack.load_balancer_access_logging,
     make(LoadBalancer, access_logging=U), {NE}),
    ("cdn logs", pack.cdn_access_logging, make(CloudFrontDistribution, access_logging=True),
     {PASS}),
    ("cdn no logs", pack.cdn_access_logging, make(CloudFrontDistribution), {FAIL}),
    ("postgres audit", pack.database_audit_logs_exported, db("postgres", ("postgresql",)),
     {PASS}),
    ("postgres none", pack.database_audit_logs_exported, db("postgres"), {FAIL}),
    ("aurora-mysql audit", pack.database_audit_logs_exported,
     db("aurora-mysql", ("audit",), is_cluster=True), {PASS}),
    ("mysql slow only", pack.database_audit_logs_exported, db("mysql", ("slowquery",)), {FAIL}),
    ("sqlserver", pack.database_audit_logs_exported, db("sqlserver-se"), {NA}),
    ("member", pack.database_audit_logs_exported, db("aurora-postgresql", member_of_cluster=True),
     {NA}),
    ("exports unknown", pack.database_audit_logs_exported, db("postgres", U), {NE}),
    ("engine unknown", pack.database_audit_logs_exported, db(U), {NE}),
    ("warehouse audit", pack.warehouse_audit_logging, make(RedshiftCluster, audit_logging=True),
     {PASS}),
    ("warehouse silent", pack.warehouse_audit_logging, make(RedshiftCluster), {FAIL}),
    ("search audit", pack.search_domain_audit_logging, make(OpenSearchDomain, audit_logs=True),
     {PASS}),
    ("search silent", pack.search_domain_audit_logging, make(OpenSearchDomain), {FAIL}),
    ("recorder all", pack.config_records_all_resources,
     make(ConfigRecorder, all_supported=True, include_global_resources=True, recording=True),
     {PASS}),
    ("recorder subset", pack.config_records_all_resources,
     make(ConfigRecorder, all_supported=False, include_global_resources=True), {FAIL}),
    ("recorder stopped", pack.config_records_all_resources,
     make(ConfigRecorder, all_supported=True, include_global_resources=True, recording=False),
     {FAIL}),
    ("recorder no global", pack.config_records_all_resources,
     make(ConfigRecorder, all_supported=True), {FAIL}),
    ("recorder unknown", pack.config_records_all_resources,
     make(ConfigRecorder, all_supported=U), {NE}),
    ("guardduty on", pack.threat_detection_enabled, make(GuardDutyDetector), {PASS}),
    ("guardduty off", pack.threat_detection_enabled, make(GuardDutyDetector, enabled=False),
     {FAIL}),
    ("runtime on", pack.runtime_threat_detection_enabled,
     make(GuardDutyDetector, features=MappingProxyType({"RUNTIME_MONITORING": True})), {PASS}),
    ("eks runtime on", pack.runtime_threat_detection_enabled,
     make(GuardDutyDetector, features=MappingProxyType({"EKS_RUNTIME_MONITORING": True})),
     {PASS}),
    ("runtime off", pack.runtime_threat_detection_enabled,
     make(GuardDutyDetector, features=MappingProxyType({"S3_DATA_EVENTS": True})), {FAIL}),
    ("features not collected", pack.runtime_threat_detection_enabled, make(GuardDutyDetector),
     {NE}),
    ("detector off", pack.runtime_threat_detection_enabled,
     make(GuardDutyDetector, enabled=False, features=MappingProxyType({})), {NA}),
    ("build unprivileged", pack.build_not_privileged, make(CodeBuildProject), {PASS}),
    ("build privileged", pack.build_not_privileged,
     make(CodeBuildProject, privileged_mode=True), {FAIL}),
    ("build logs", pack.build_logs_kept, make(CodeBuildProject), {PASS}),
    ("build no logs", pack.build_logs_kept, make(CodeBuildProject, logs_enabled=False), {FAIL}),
    ("repo no policy", containers.registry_policy_not_public, make(EcrRepository), {PASS}),
    ("repo public", containers.registry_policy_not_public, make(EcrRepository, policy=doc(
        {"Effect": "Allow", "Principal": "*", "Action": "ecr:BatchGetImage"})), {FAIL}),
    ("repo org", containers.registry_policy_not_public, make(EcrRepository, policy=doc(
        {"Effect": "Allow", "Principal": "*", "Action": "ecr:BatchGetImage",
         "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}})), {PASS}),
    ("repo policy unknown", containers.registry_policy_not_public,
     make(EcrRepository, policy=U), {NE}),
]


@pytest.mark.parametrize(("rule", "resource", "expected"),
                         [pytest.param(r, res, e, id=i) for i, r, res, e in CASES])
def test_rule(rule: Rule, resource: Resource, expected: set[Status]) -> None:
    assert outcomes(rule, resource) == expected


def test_global_resources_recorded_by_another_recorder() -> None:
    regional = make(ConfigRecorder, address="r.regional", all_supported=True)
    primary = make(ConfigRecorder, address="r.primary", all_supported=True,
                   include_global_resources=True)
    assert outcomes(pack.config_records_all_resources, regional, primary) == {PASS}


def _bucket(**f: Any) -> S3Bucket:
    return make(S3Bucket, address="aws_s3_bucket.docs", bucket_name="patient-docs", **f)


@pytest.mark.parametrize(("resources", "expected"), [
    (("${aws_s3_bucket.docs.arn}/",), {PASS}),
    (("arn:aws:s3:::patient-docs/",), {PASS}),
    (("arn:aws:s3:::patient-docs-archive/",), {FAIL}),
    (("*",), {PASS}),
    ((), {FAIL}),
    (U, {NE}),
])
def test_ephi_bucket_data_events(resources: Any, expected: set[Status]) -> None:
    trail = make(CloudTrail, data_event_resources=resources)
    assert outcomes(pack.ephi_bucket_object_access_is_logged, _bucket(tags=EPHI),
                    trail) == expected


def test_data_events_judged_only_for_ephi_buckets_in_scans_with_a_trail() -> None:
    trail = make(CloudTrail, data_event_resources=())
    assert outcomes(pack.ephi_bucket_object_access_is_logged, _bucket(), trail) == set()
    assert outcomes(pack.ephi_bucket_object_access_is_logged, _bucket(tags=EPHI)) == {NA}


def test_data_events_of_a_template_bucket_are_not_judged_on_terraform_trails() -> None:
    bucket = _bucket(tags=EPHI, source="cloudformation")
    trail = make(CloudTrail, data_event_resources=())
    assert outcomes(pack.ephi_bucket_object_access_is_logged, bucket, trail) == {NA}
    plan_trail = make(CloudTrail, source="terraform-plan", data_event_resources=())
    assert outcomes(pack.ephi_bucket_object_access_is_logged, _bucket(tags=EPHI),
                    plan_trail) == {FAIL}


def _filter(pattern: Any, group: Any = "/aws/cloudtrail/org", name: str = "Root") -> MetricFilter:
    return make(MetricFilter, address=f"aws_cloudwatch_log_metric_filter.{name}",
                pattern=pattern, log_group=group, metric_name=name, metric_namespace="CIS")


def _alarm(name: str = "Root", actions: Any = ("arn:aws:sns:us-east-1:1:sec",),
           enabled: Any = True) -> MetricAlarm:
    return make(MetricAlarm, address=f"aws_cloudwatch_metric_alarm.{name}", metric_name=name,
                metric_namespace="CIS", alarm_actions=actions, actions_enabled=enabled)


ORG_GROUP = make(LogGroup, address="aws_cloudwatch_log_group.org",
                 group_name="/aws/cloudtrail/org")
TRAIL = make(CloudTrail, cloudwatch_logs_group="${aws_cloudwatch_log_group.org.arn}:*")
ROOT = '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS }'


@pytest.mark.parametrize(("others", "expected"), [
    ([_filter(ROOT), _alarm()], {PASS}),
    ([_filter(ROOT), _alarm(actions=())], {FAIL}),
    ([_filter(ROOT), _alarm(enabled=False)], {FAIL}),
    ([_filter(ROOT)], {FAIL}),
    ([_filter(ROOT, group="/aws/cloudtrail/other"), _alarm()], {FAIL}),
    ([_filter(ROOT, group=Reference("aws_cloudwatch_log_group.org", "name").target), _alarm()],
     {PASS}),
    ([_filter('{ $.eventName = "ConsoleLogin" }'), _alarm()], {FAIL}),
    ([_filter(U), _alarm()], {NE}),
    ([_filter(ROOT), _alarm(actions=U)], {NE}),
    ([make(EventRule, pattern='{"detail": {"userIdentity": {"type": ["Root"]}}}',
           targets=("arn:aws:sns:us-east-1:1:sec",))], {PASS}),
    ([], {FAIL}),
])
def test_root_usage_alarm(others: list[Resource], expected: set[Status]) -> None:
    assert outcomes(alarms.alert_on_root_usage, TRAIL, ORG_GROUP, *others) == expected


def test_alarms_need_a_trail_delivered_to_cloudwatch_logs() -> None:
    assert outcomes(alarms.alert_on_root_usage, make(CloudTrail)) == {NA}


@pytest.mark.parametrize(("rule", "pattern"), [
    (alarms.alert_on_unauthorized_api_calls, alarms._P_UNAUTHORIZED),
    (alarms.alert_on_console_login_without_mfa, alarms._P_NO_MFA),
    (alarms.alert_on_root_usage, alarms._P_ROOT),
    (alarms.alert_on_iam_policy_changes, alarms._P_IAM),
    (alarms.alert_on_trail_changes, alarms._P_TRAIL),
    (alarms.alert_on_key_deletion, alarms._P_KMS),
    (alarms.alert_on_security_group_changes, alarms._P_SG),
])
def test_each_cis_pattern_is_recognised_only_by_its_rule(rule: Rule, pattern: str) -> None:
    assert outcomes(rule, TRAIL, ORG_GROUP, _filter(pattern), _alarm()) == {PASS}
    others = [r for r in (alarms.alert_on_console_login_without_mfa,
                          alarms.alert_on_key_deletion, alarms.alert_on_trail_changes)
              if r is not rule]
    for other in others:
        assert outcomes(other, TRAIL, ORG_GROUP, _filter(pattern), _alarm()) == {FAIL}


@pytest.mark.parametrize(("alarm", "expected"), [
    (_alarm(), {PASS}), (_alarm(actions=()), {FAIL}), (_alarm(enabled=False), {FAIL}),
    (_alarm(name="CPUUtilization"), {NA}),
])
def test_log_alarms_notify(alarm: MetricAlarm, expected: set[Status]) -> None:
    assert outcomes(pack.log_alarm_notifies, alarm, _filter(ROOT)) == expected


def test_data_events_judged_against_the_trails_of_the_buckets_deployment() -> None:
    other_root = make(CloudTrail, address="aws_cloudtrail.other", data_event_resources=())
    bucket = _bucket(tags=EPHI, deployment_trails=())
    assert outcomes(pack.ephi_bucket_object_access_is_logged, bucket, other_root) == {NA}
    own = _bucket(tags=EPHI, deployment_trails=("aws_cloudtrail.other",))
    assert outcomes(pack.ephi_bucket_object_access_is_logged, own, other_root) == {FAIL}
    everything = make(CloudTrail, address="aws_cloudtrail.org", data_event_resources=("*",))
    assert outcomes(pack.ephi_bucket_object_access_is_logged, bucket, everything) == {PASS}
