"""3.2.2.b alerting on suspicious activity: the CIS AWS Foundations metric filters and
alarms (or EventBridge rules) for a trail delivered to CloudWatch Logs."""

from __future__ import annotations

import re
from collections.abc import Callable

from tutela.model.aws import CloudTrail, EventRule, LogGroup, MetricAlarm, MetricFilter
from tutela.model.base import Resource
from tutela.model.inventory import Inventory
from tutela.model.values import Reference, Unknown
from tutela.rules.api import Severity, Verdict, failed, not_applicable, passed, rule, unknown
from tutela.rules.identity._aws_policy import near_resource

Matcher = Callable[[str], bool]


def _norm(text: str) -> str:
    return re.sub(r"[\s\"'`]", "", text).lower()


def _any(*tokens: str) -> Matcher:
    return lambda t: any(token in t for token in tokens)


def _all(*tokens: str) -> Matcher:
    return lambda t: all(token in t for token in tokens)


_UNAUTHORIZED = _any("unauthorizedoperation", "accessdenied")
_NO_MFA = lambda t: ("consolelogin" in t or "consolesignin" in t) and "mfaused" in t  # noqa: E731
_ROOT = _all("useridentity", "root")
_IAM = _any("putgrouppolicy", "putrolepolicy", "putuserpolicy", "createpolicy",
            "deletepolicy", "createpolicyversion", "deletepolicyversion", "attachrolepolicy",
            "detachrolepolicy", "attachuserpolicy", "detachuserpolicy", "attachgrouppolicy",
            "detachgrouppolicy", "deleterolepolicy", "deleteuserpolicy", "deletegrouppolicy")
_TRAIL = _any("stoplogging", "deletetrail", "updatetrail", "createtrail")
_KMS = _any("schedulekeydeletion", "disablekey")
_SG = _any("authorizesecuritygroupingress", "authorizesecuritygroupegress",
           "revokesecuritygroupingress", "revokesecuritygroupegress", "createsecuritygroup",
           "deletesecuritygroup")


def _group_of(value: object) -> str | None:
    """A log group's identity from a pointer: the referenced address or the literal name."""
    if isinstance(value, Reference):
        return value.target
    if isinstance(value, str):
        m = re.search(r"\$\{([^}]+?)\.(arn|name|id)\}", value)
        if m:
            return m.group(1)
        m = re.match(r"^arn:aws[a-z-]*:logs:[^:]*:[^:]*:log-group:([^:]+)", value)
        return m.group(1) if m else value
    return None


def _identities(value: object, anchor: Resource,
                inventory: Inventory) -> tuple[set[str], bool]:
    """Names a log group pointer may stand for, and whether they are complete (an address
    whose group is not in the scan, or whose name is not known, is not)."""
    found = _group_of(value)
    if found is None:
        return set(), False
    group = near_resource(LogGroup, found, anchor, inventory)
    if isinstance(group, LogGroup):
        name = group.group_name
        return ({found, name}, True) if isinstance(name, str) else ({found}, False)
    address = "." in found and not found.startswith("/")
    return {found}, not address


def _same_group(metric_filter: MetricFilter, trail: CloudTrail, inventory: Inventory) -> bool:
    """Whether a metric filter reads the trail's log group; when either side cannot be
    resolved to a name, it may (lenient: never a false failure)."""
    a, a_complete = _identities(metric_filter.log_group, metric_filter, inventory)
    b, b_complete = _identities(trail.cloudwatch_logs_group, trail, inventory)
    if a & b:
        return True
    return not (a_complete and b_complete)


def _alarm_for(metric_filter: MetricFilter, inventory: Inventory) -> tuple[bool, Unknown | None]:
    """(an alarm with actions watches the filter's metric, an Unknown met on the way)."""
    unknown_: Unknown | None = None
    for alarm in inventory.of(MetricAlarm):
        name = alarm.metric_name
        if isinstance(name, Unknown):
            unknown_ = name
            continue
        if name != metric_filter.metric_name:
            continue
        space, want = alarm.metric_namespace, metric_filter.metric_namespace
        if isinstance(space, str) and isinstance(want, str) and space != want:
            continue
        actions = alarm.alarm_actions
        if isinstance(actions, Unknown):
            unknown_ = actions
            continue
        if alarm.actions_enabled is True and actions:
            return True, None
    return False, unknown_


def _alerting(trail: CloudTrail, inventory: Inventory, matches: Matcher, what: str) -> Verdict:
    group = trail.cloudwatch_logs_group
    if not group:
        return not_applicable("the trail is not delivered to CloudWatch Logs (LOG007)")
    unknown_: Unknown | None = None
    silent: MetricFilter | None = None
    for metric_filter in inventory.of(MetricFilter):
        pattern = metric_filter.pattern
        if isinstance(pattern, Unknown):
            unknown_ = pattern
            continue
        if not isinstance(pattern, str) or not matches(_norm(pattern)):
            continue
        if not _same_group(metric_filter, trail, inventory):
            continue
        alarmed, why = _alarm_for(metric_filter, inventory)
        if alarmed:
            return passed(f"metric filter {metric_filter.address} with an alarm")
        silent = metric_filter
        unknown_ = why or unknown_
    for event_rule in inventory.of(EventRule):
        pattern = event_rule.pattern
        if isinstance(pattern, str) and matches(_norm(pattern)) and event_rule.enabled is True \
                and event_rule.targets and not isinstance(event_rule.targets, Unknown):
            return passed(f"EventBridge rule {event_rule.address}")
    if unknown_ is not None:
        return unknown(f"a filter or alarm is not known: {unknown_.reason}")
    if silent is not None:
        return failed(f"metric filter {silent.address} detects {what} but no alarm with "
                      "actions watches its metric", at="cloudwatch_logs_group")
    return failed(f"no metric filter and alarm (or EventBridge rule) detects {what}",
                  at="cloudwatch_logs_group")


_TF_FILTER = """
    resource "aws_cloudwatch_log_metric_filter" "{label}" {{
      name           = "{name}"
      log_group_name = aws_cloudwatch_log_group.trail.name
      pattern        = "{pattern}"
      metric_transformation {{
        name      = "{name}"
        namespace = "CISBenchmark"
        value     = "1"
      }}
    }}

    resource "aws_cloudwatch_metric_alarm" "{label}" {{
      alarm_name          = "{name}"
      metric_name         = "{name}"
      namespace           = "CISBenchmark"
      statistic           = "Sum"
      period              = 300
      evaluation_periods  = 1
      threshold           = 1
      comparison_operator = "GreaterThanOrEqualToThreshold"
      alarm_actions       = [aws_sns_topic.security_alerts.arn]
    }}
"""
_CFN_FILTER = """
    {logical}Filter:
      Type: AWS::Logs::MetricFilter
      Properties:
        LogGroupName: !Ref TrailLogGroup
        FilterPattern: '{pattern}'
        MetricTransformations:
          - MetricName: {logical}
            MetricNamespace: CISBenchmark
            MetricValue: "1"
"""


def _snippets(name: str, logical: str, pattern: str) -> dict[str, str]:
    escaped = pattern.replace('"', '\\"')
    return {"terraform": _TF_FILTER.format(name=name, label=name.replace("-", "_"),
                                           pattern=escaped),
            "cloudformation": _CFN_FILTER.format(logical=logical, pattern=pattern)}


_P_UNAUTHORIZED = ('{ ($.errorCode = "*UnauthorizedOperation") || '
                   '($.errorCode = "AccessDenied*") }')
_P_NO_MFA = '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }'
_P_ROOT = ('{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && '
           '$.eventType != "AwsServiceEvent" }')
_P_IAM = ("{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || "
          "($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || "
          "($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || "
          "($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || "
          "($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || "
          "($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || "
          "($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || "
          "($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy) }")
_P_TRAIL = ("{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || "
            "($.eventName = DeleteTrail) || ($.eventName = StartLogging) || "
            "($.eventName = StopLogging) }")
_P_KMS = ("{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || "
          "($.eventName = ScheduleKeyDeletion)) }")
_P_SG = ("{ ($.eventName = AuthorizeSecurityGroupIngress) || "
         "($.eventName = AuthorizeSecurityGroupEgress) || "
         "($.eventName = RevokeSecurityGroupIngress) || "
         "($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || "
         "($.eventName = DeleteSecurityGroup) }")


@rule(
    code="LOG018",
    controls=("3.2.2.b.2", "3.2.1.b.3"),
    severity=Severity.LOW,
    remediation=f"""
        Add a metric filter on the trail's log group for unauthorized API calls
        (`{_P_UNAUTHORIZED}`) and an alarm on its metric that notifies the security team
        (CIS AWS 4.1).
    """,
    snippets=_snippets("unauthorized-api-calls", "UnauthorizedApiCalls", _P_UNAUTHORIZED),
)
def alert_on_unauthorized_api_calls(trail: CloudTrail, inventory: Inventory) -> Verdict:
    """Unauthorized API calls raise an alarm.

    Why: bursts of AccessDenied errors are how stolen service credentials and
    reconnaissance show up first; ENG-POL-003 requires alerting on suspicious access and
    on anomalous service-account use.
    Judged for trails delivered to CloudWatch Logs, against the scan's metric filters with
    alarms that have actions, or enabled EventBridge rules with targets.
    """
    return _alerting(trail, inventory, _UNAUTHORIZED, "unauthorized API calls")


@rule(
    code="LOG019",
    controls=("3.2.2.b.2", "3.2.1.a.2"),
    severity=Severity.MEDIUM,
    remediation=f"""
        Add a metric filter for console sign-ins without MFA (`{_P_NO_MFA}`) and an alarm
        with actions (CIS AWS 4.2).
    """,
    snippets=_snippets("console-signin-without-mfa", "ConsoleSigninWithoutMfa", _P_NO_MFA),
)
def alert_on_console_login_without_mfa(trail: CloudTrail, inventory: Inventory) -> Verdict:
    """Console sign-ins without MFA raise an alarm.

    Why: ENG-POL-003 requires MFA for administrative access; a sign-in without it is
    either a policy gap or a stolen password, and must reach someone in real time.
    Judged for trails delivered to CloudWatch Logs, against the scan's metric filters with
    alarms that have actions, or enabled EventBridge rules with targets.
    """
    return _alerting(trail, inventory, _NO_MFA, "console sign-ins without MFA")


@rule(
    code="LOG020",
    controls=("3.2.2.b.1", "3.2.2.b.2"),
    severity=Severity.MEDIUM,
    remediation=f"""
        Add a metric filter for use of the root user (`{_P_ROOT}`) and an alarm with
        actions (CIS AWS 4.3).
    """,
    snippets=_snippets("root-account-usage", "RootAccountUsage", _P_ROOT),
)
def alert_on_root_usage(trail: CloudTrail, inventory: Inventory) -> Verdict:
    """Use of the root user raises an alarm.

    Why: the root user bypasses every IAM control; ENG-POL-003 requires real-time
    monitoring of privileged access, and root activity should never go unnoticed.
    Judged for trails delivered to CloudWatch Logs, against the scan's metric filters with
    alarms that have actions, or enabled EventBridge rules with targets.
    """
    return _alerting(trail, inventory, _ROOT, "use of the root user")


@rule(
    code="LOG021",
    controls=("3.2.2.b.1",),
    severity=Severity.LOW,
    remediation=f"""
        Add a metric filter for IAM policy changes (`{_P_IAM}`) and an alarm with actions
        (CIS AWS 4.4).
    """,
    snippets=_snippets("iam-policy-changes", "IamPolicyChanges", _P_IAM),
)
def alert_on_iam_policy_changes(trail: CloudTrail, inventory: Inventory) -> Verdict:
    """IAM policy changes raise an alarm.

    Why: attaching or editing a policy is how privileges are escalated; monitoring of
    privileged activity must surface such changes as they happen.
    Judged for trails delivered to CloudWatch Logs, against the scan's metric filters with
    alarms that have actions, or enabled EventBridge rules with targets.
    """
    return _alerting(trail, inventory, _IAM, "IAM policy changes")


@rule(
    code="LOG022",
    controls=("3.7.1.b.5", "3.2.2.b.2"),
    severity=Severity.MEDIUM,
    remediation=f"""
        Add a metric filter for CloudTrail configuration changes (`{_P_TRAIL}`) and an
        alarm with actions (CIS AWS 4.5).
    """,
    snippets=_snippets("cloudtrail-changes", "CloudTrailChanges", _P_TRAIL),
)
def alert_on_trail_changes(trail: CloudTrail, inventory: Inventory) -> Verdict:
    """Changes to CloudTrail raise an alarm.

    Why: stopping or editing the trail is how an intruder erases their tracks;
    ENG-POL-003 requires tampering with logs to be detected.
    Judged for trails delivered to CloudWatch Logs, against the scan's metric filters with
    alarms that have actions, or enabled EventBridge rules with targets.
    """
    return _alerting(trail, inventory, _TRAIL, "CloudTrail configuration changes")


@rule(
    code="LOG023",
    controls=("3.3.2.b.3",),
    severity=Severity.LOW,
    remediation=f"""
        Add a metric filter for disabled or scheduled-for-deletion KMS keys (`{_P_KMS}`) and
        an alarm with actions (CIS AWS 4.7).
    """,
    snippets=_snippets("kms-key-deletion", "KmsKeyDeletion", _P_KMS),
)
def alert_on_key_deletion(trail: CloudTrail, inventory: Inventory) -> Verdict:
    """Disabling or scheduling the deletion of a KMS key raises an alarm.

    Why: a key scheduled for deletion takes every ciphertext it protects with it; the
    pending window only helps if someone hears about it.
    Judged for trails delivered to CloudWatch Logs, against the scan's metric filters with
    alarms that have actions, or enabled EventBridge rules with targets.
    """
    return _alerting(trail, inventory, _KMS, "KMS keys disabled or scheduled for deletion")


@rule(
    code="LOG024",
    controls=("3.1.2.a.3", "3.4.1.b.2"),
    severity=Severity.LOW,
    remediation=f"""
        Add a metric filter for security group changes (`{_P_SG}`) and an alarm with actions
        (CIS AWS 4.10).
    """,
    snippets=_snippets("security-group-changes", "SecurityGroupChanges", _P_SG),
)
def alert_on_security_group_changes(trail: CloudTrail, inventory: Inventory) -> Verdict:
    """Security group changes raise an alarm.

    Why: opening a port by hand is configuration drift that bypasses code review;
    ENG-POL-003 requires drift to be detected.
    Judged for trails delivered to CloudWatch Logs, against the scan's metric filters with
    alarms that have actions, or enabled EventBridge rules with targets.
    """
    return _alerting(trail, inventory, _SG, "security group changes")
