"""Terraform AWS adapter, rule-pack types: providers and regions, data stores, backup, edge,
network, monitoring; plus the loader's provider configurations."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tutela.model.aws import (
    AcmCertificate,
    ApiGatewayMethod,
    ApiGatewayStage,
    AwsProvider,
    BackupPlan,
    BackupVault,
    CloudFrontDistribution,
    CloudTrail,
    CodeBuildProject,
    ConfigRecorder,
    DatabaseInstance,
    DynamoDbTable,
    ElastiCacheReplicationGroup,
    EventRule,
    FlowLog,
    GuardDutyDetector,
    IamPolicy,
    IamRole,
    KmsKey,
    LambdaPermission,
    LoadBalancer,
    MetricFilter,
    NetworkAcl,
    OpenSearchDomain,
    RedshiftCluster,
    RestoreTestingPlan,
    S3Bucket,
    SecretsManagerSecret,
    SecurityGroup,
    SqsQueue,
    SsmParameter,
    StackParameter,
    Vpc,
    VpnConnection,
)
from tutela.model.base import Resource
from tutela.model.values import Location, PartialString, Reference, Unknown, is_unknown
from tutela.sources.raw import RawResource
from tutela.sources.terraform import load_terraform
from tutela.sources.terraform.aws import adapt_terraform

R = TypeVar("R", bound=Resource)
_line = iter(range(1, 10**9, 100))
U = Unknown("var.x has no value")


def raw(type_: str, name: str = "x", attrs: Mapping[str, Any] | None = None, *,
        module: str = "", mode: str = "managed", address: str | None = None) -> RawResource:
    start = next(_line)
    attrs = dict(attrs or {})
    local = f"{type_}.{name}"
    addr = address or (f"{module}.{local}" if module else local)
    locs = {k: Location("main.tf", start + 1 + i, start + 1 + i) for i, k in enumerate(attrs)}
    return RawResource(address=addr, type=type_, mode=mode, attributes=attrs,
                       location=Location("main.tf", start, start + 50), source="terraform",
                       attribute_locations=locs, module=module, name=name)


def provider(name: str = "aws", attrs: Mapping[str, Any] | None = None, *,
             module: str = "") -> RawResource:
    address = f"{module}.provider.{name}" if module else f"provider.{name}"
    return raw(name.partition(".")[0], name, attrs, module=module, mode="provider",
               address=address)


def ref(target: str | RawResource, attribute: str | None = "id") -> Reference:
    return Reference(target.address if isinstance(target, RawResource) else target, attribute)


def only(resources: list[Resource], cls: type[R], address: str | None = None) -> R:
    found = [r for r in resources if isinstance(r, cls)
             and (address is None or r.address == address)]
    assert len(found) == 1, f"expected one {cls.__name__} {address or ''}, got {found}"
    return found[0]


def adapt1(cls: type[R], *raws: RawResource) -> R:
    return only(adapt_terraform(raws), cls, raws[0].address)


# --------------------------------------------------------------------------- providers


def test_region_from_the_default_provider_and_aliases() -> None:
    out = adapt_terraform([
        provider("aws", {"region": "us-east-2"}),
        provider("aws.west", {"alias": "west", "region": "eu-west-1"}),
        raw("aws_s3_bucket", "a"),
        raw("aws_s3_bucket", "b", {"provider": "aws.west"}),
        raw("aws_iam_role", "r"),
    ])
    assert only(out, S3Bucket, "aws_s3_bucket.a").region == "us-east-2"
    assert only(out, S3Bucket, "aws_s3_bucket.b").region == "eu-west-1"
    assert only(out, IamRole).region is None  # global service
    providers = [r for r in out if isinstance(r, AwsProvider)]
    assert {p.region for p in providers} == {"us-east-2", "eu-west-1"}


def test_modules_inherit_or_receive_their_provider() -> None:
    out = adapt_terraform([
        provider("aws", {"region": "us-east-1"}),
        provider("aws.dr", {"alias": "dr", "region": "us-west-2"}),
        provider("aws", {"passed_from": "provider.aws.dr"}, module="module.dr"),
        raw("aws_sqs_queue", "q", module="module.dr"),
        raw("aws_sqs_queue", "q", module="module.app"),
        raw("aws_sqs_queue", "q", module='module.app.module.inner["a"]'),
    ])
    assert only(out, SqsQueue, "module.dr.aws_sqs_queue.q").region == "us-west-2"
    assert only(out, SqsQueue, "module.app.aws_sqs_queue.q").region == "us-east-1"
    assert only(out, SqsQueue, 'module.app.module.inner["a"].aws_sqs_queue.q').region == \
        "us-east-1"


@pytest.mark.parametrize(("configs", "expected"), [
    ([], None),  # nothing configures a region in this scan
    ([provider("aws", {})], "unknown"),  # from the environment at run time
    ([provider("aws", {"region": U})], "unknown"),
    ([provider("aws", {"region": "us-east-1"}), provider("aws", {"region": "us-west-2"})],
     "unknown"),  # duplicate configuration
])
def test_region_unknown_or_unset(configs: list[RawResource], expected: str | None) -> None:
    bucket = only(adapt_terraform([*configs, raw("aws_s3_bucket")]), S3Bucket)
    if expected is None:
        assert bucket.region is None
    else:
        assert is_unknown(bucket.region)


def test_resource_region_argument_wins() -> None:
    bucket = adapt1(S3Bucket, raw("aws_s3_bucket", attrs={"region": "us-west-1"}),
                    provider("aws", {"region": "us-east-1"}))
    assert bucket.region == "us-west-1"


def test_default_tags_are_merged_under_the_resource_tags() -> None:
    cfg = provider("aws", {"region": "us-east-1",
                           "default_tags": [{"tags": {"data_classification": "ephi",
                                                      "team": "core"}}]})
    bucket = adapt1(S3Bucket, raw("aws_s3_bucket", attrs={"tags": {"team": "records"}}), cfg)
    assert dict(bucket.tags) == {"data_classification": "ephi", "team": "records"}
    unknown = provider("aws", {"default_tags": [{"tags": U}]})
    assert is_unknown(adapt1(S3Bucket, raw("aws_s3_bucket", "y"), unknown).tags)


def test_provider_credentials_are_read() -> None:
    cfg = provider("aws", {"region": "us-east-1", "access_key": "AKIAZ3MSJV4WQ7EXAMPL",
                           "secret_key": "s3cr3t-value"})
    (found,) = [r for r in adapt_terraform([cfg]) if isinstance(r, AwsProvider)]
    assert (found.access_key, found.secret_key, found.region) == (
        "AKIAZ3MSJV4WQ7EXAMPL", "s3cr3t-value", "us-east-1")


def test_loader_emits_provider_configurations(tmp_path: Path) -> None:
    (tmp_path / "mod").mkdir()
    (tmp_path / "main.tf").write_text('''
variable "region" {
  default = "us-east-2"
}
provider "aws" {
  region = var.region
}
provider "aws" {
  alias  = "west"
  region = "us-west-2"
}
resource "aws_s3_bucket" "b" {
  provider = aws.west
  bucket   = "b"
}
module "m" {
  source = "./mod"
  providers = {
    aws = aws.west
  }
}
''')
    (tmp_path / "mod" / "main.tf").write_text('resource "aws_sqs_queue" "q" {}\n')
    result = load_terraform([tmp_path], root=tmp_path)
    assert not result.errors
    by_address = {r.address: r for r in result.resources}
    assert by_address["provider.aws"].mode == "provider"
    assert by_address["provider.aws"].attributes["region"] == "us-east-2"
    assert by_address["provider.aws"].location == Location("main.tf", 5, 7)
    assert by_address["provider.aws.west"].attributes["alias"] == "west"
    assert by_address["aws_s3_bucket.b"].attributes["provider"] == "aws.west"
    assert by_address["module.m.provider.aws"].attributes == {
        "passed_from": "provider.aws.west"}
    out = adapt_terraform(result.resources)
    assert only(out, S3Bucket).region == "us-west-2"
    assert only(out, SqsQueue).region == "us-west-2"


def test_loader_reads_json_providers(tmp_path: Path) -> None:
    (tmp_path / "main.tf.json").write_text(
        '{"provider": {"aws": [{"region": "us-west-1"}]},'
        ' "resource": {"aws_sqs_queue": {"q": {"name": "q"}}}}')
    out = adapt_terraform(load_terraform([tmp_path], root=tmp_path).resources)
    assert only(out, SqsQueue).region == "us-west-1"


# --------------------------------------------------------------------------- data stores


def test_dynamodb_keys_pitr_replicas() -> None:
    key = raw("aws_kms_key", "k")
    table = adapt1(DynamoDbTable, raw("aws_dynamodb_table", attrs={
        "server_side_encryption": [{"enabled": True, "kms_key_arn": ref(key, "arn")}],
        "point_in_time_recovery": [{"enabled": True}],
        "deletion_protection_enabled": True,
        "replica": [{"region_name": "us-west-2"}],
    }), key)
    assert table.encryption.kms_key == ref(key, "arn")
    assert (table.point_in_time_recovery, table.deletion_protection) == (True, True)
    assert table.replica_regions == ("us-west-2",)
    default = adapt1(DynamoDbTable, raw("aws_dynamodb_table", "d"))
    assert default.encryption.algorithm == "AWS_OWNED" and default.point_in_time_recovery is False


def test_elasticache_defaults_by_engine() -> None:
    redis = adapt1(ElastiCacheReplicationGroup, raw("aws_elasticache_replication_group"))
    valkey = adapt1(ElastiCacheReplicationGroup,
                    raw("aws_elasticache_replication_group", "v", {"engine": "valkey"}))
    assert (redis.at_rest_encryption, valkey.at_rest_encryption) == (False, True)
    auth = adapt1(ElastiCacheReplicationGroup, raw("aws_elasticache_replication_group", "a",
                                                   {"user_group_ids": ["g"]}))
    assert auth.auth_token_set is True


def test_opensearch_fields() -> None:
    domain = adapt1(OpenSearchDomain, raw("aws_opensearch_domain", attrs={
        "encrypt_at_rest": [{"enabled": True}],
        "domain_endpoint_options": [{"enforce_https": True}],
        "vpc_options": [{"subnet_ids": ["s"]}],
        "log_publishing_options": [{"log_type": "AUDIT_LOGS", "cloudwatch_log_group_arn": "a"}],
    }))
    assert (domain.encrypt_at_rest, domain.enforce_https, domain.in_vpc, domain.audit_logs) == (
        True, True, True, True)
    assert domain.tls_policy == "Policy-Min-TLS-1-0-2019-07"  # AWS's default when unset


def test_redshift_parameter_group_and_logging() -> None:
    group = raw("aws_redshift_parameter_group", "p", {"name": "tls", "parameter": [
        {"name": "require_ssl", "value": "true"}]})
    cluster = raw("aws_redshift_cluster",
                  attrs={"cluster_parameter_group_name": ref(group, "name")})
    logging = raw("aws_redshift_logging", "l", {"cluster_identifier": ref(cluster)})
    out = adapt1(RedshiftCluster, cluster, group, logging)
    assert (out.require_ssl, out.audit_logging) == (True, True)
    default = adapt1(RedshiftCluster, raw("aws_redshift_cluster", "d"))
    assert is_unknown(default.require_ssl) and default.encryption.enabled is False


@pytest.mark.parametrize(("attrs", "enabled", "algorithm"), [
    ({}, True, "SQS_MANAGED"),
    ({"sqs_managed_sse_enabled": False}, False, "SQS_MANAGED"),
    ({"kms_master_key_id": "alias/aws/sqs"}, True, "aws:kms"),
])
def test_sqs_encryption(attrs: dict[str, Any], enabled: bool, algorithm: str) -> None:
    queue = adapt1(SqsQueue, raw("aws_sqs_queue", attrs=attrs))
    assert (queue.encryption.enabled, queue.encryption.algorithm) == (enabled, algorithm)


def test_secret_rotation_from_the_rotation_resource() -> None:
    secret = raw("aws_secretsmanager_secret", attrs={"name": "db"})
    rotation = raw("aws_secretsmanager_secret_rotation", "r", {
        "secret_id": ref(secret), "rotation_rules": [{"schedule_expression": "rate(10 days)"}]})
    out = adapt1(SecretsManagerSecret, secret, rotation)
    assert (out.rotation_enabled, out.rotation_days) == (True, 10)
    lonely = adapt1(SecretsManagerSecret, raw("aws_secretsmanager_secret", "n"))
    assert lonely.rotation_enabled is False


def test_ssm_parameter() -> None:
    p = adapt1(SsmParameter, raw("aws_ssm_parameter", attrs={
        "name": "/a/password", "type": "SecureString", "value": "v"}))
    assert (p.parameter_name, p.parameter_type, p.value) == ("/a/password", "SecureString", "v")


def test_stack_parameters_passed_by_terraform() -> None:
    out = adapt_terraform([raw("aws_cloudformation_stack", attrs={
        "parameters": {"DbPassword": "literal", "Env": "prod"}})])
    params = {p.parameter_name: p.value for p in out if isinstance(p, StackParameter)}
    assert params == {"DbPassword": "literal", "Env": "prod"}


# --------------------------------------------------------------------------- RDS


def test_database_tls_from_parameter_groups() -> None:
    group = raw("aws_db_parameter_group", "p", {"name": "tls", "parameter": [
        {"name": "rds.force_ssl", "value": "1"}]})
    db = raw("aws_db_instance", attrs={"engine": "postgres", "engine_version": "13.4",
                                       "parameter_group_name": ref(group, "name")})
    assert adapt1(DatabaseInstance, db, group).require_tls is True
    old = raw("aws_db_instance", "old", {"engine": "postgres", "engine_version": "13.4"})
    new = raw("aws_db_instance", "new", {"engine": "postgres", "engine_version": "16.1"})
    mysql = raw("aws_db_instance", "my", {"engine": "mysql"})
    oracle = raw("aws_db_instance", "ora", {"engine": "oracle-ee"})
    elsewhere = raw("aws_db_instance", "e", {"engine": "mysql",
                                             "parameter_group_name": "shared-params"})
    assert adapt1(DatabaseInstance, old).require_tls is False
    assert adapt1(DatabaseInstance, new).require_tls is True
    assert adapt1(DatabaseInstance, mysql).require_tls is False
    assert adapt1(DatabaseInstance, oracle).require_tls is None
    assert is_unknown(adapt1(DatabaseInstance, elsewhere).require_tls)


def test_aurora_cluster_instances_are_members() -> None:
    cluster = raw("aws_rds_cluster", attrs={"engine": "aurora-postgresql",
                                            "storage_encrypted": True})
    member = raw("aws_rds_cluster_instance", "i", {"cluster_identifier": ref(cluster)})
    out = adapt_terraform([cluster, member])
    m = only(out, DatabaseInstance, member.address)
    assert m.member_of_cluster and m.cluster == cluster.address
    assert m.storage_encryption.enabled is True and m.engine == "aurora-postgresql"


def test_literal_master_password() -> None:
    db = adapt1(DatabaseInstance, raw("aws_db_instance", attrs={"password": "p4ssw0rd!"}))
    assert db.master_password == "p4ssw0rd!" and "master_password" in db.field_locations


# --------------------------------------------------------------------------- backup


def test_backup_plan_rules_selection_and_vault_companions() -> None:
    dr = raw("aws_backup_vault", "dr", {"name": "dr"})
    plan = raw("aws_backup_plan", attrs={"rule": [{
        "rule_name": "daily", "schedule": "cron(0 5 * * ? *)",
        "lifecycle": [{"delete_after": 35}],
        "copy_action": [{"destination_vault_arn": ref(dr, "arn")}]}]})
    selection = raw("aws_backup_selection", "s", {"plan_id": ref(plan)})
    lock = raw("aws_backup_vault_lock_configuration", "l", {
        "backup_vault_name": ref(dr, "name"), "min_retention_days": 35})
    notes = raw("aws_backup_vault_notifications", "n", {
        "backup_vault_name": "dr", "backup_vault_events": ["BACKUP_JOB_COMPLETED"]})
    out = adapt_terraform([dr, plan, selection, lock, notes])
    p = only(out, BackupPlan)
    assert not is_unknown(p.rules)
    (rule,) = p.rules
    assert (rule.retention_days, rule.copy_destinations) == (35, ("aws_backup_vault.dr.arn",))
    assert p.selections == (selection.address,)
    v = only(out, BackupVault)
    assert (v.locked, v.min_retention_days, v.notification_events) == (
        True, 35, ("BACKUP_JOB_COMPLETED",))


def test_selection_for_an_unknown_plan_makes_selections_unknown() -> None:
    plan = raw("aws_backup_plan", attrs={"rule": []})
    selection = raw("aws_backup_selection", "s", {"plan_id": U})
    assert is_unknown(only(adapt_terraform([plan, selection]), BackupPlan).selections)


def test_restore_testing_interval() -> None:
    plan = adapt1(RestoreTestingPlan, raw("aws_backup_restore_testing_plan", attrs={
        "schedule_expression": "cron(0 5 1 */3 ? *)"}))
    assert plan.interval_days == 92


# --------------------------------------------------------------------------- edge and APIs


def test_cloudfront_distribution() -> None:
    dist = adapt1(CloudFrontDistribution, raw("aws_cloudfront_distribution", attrs={
        "default_cache_behavior": [{"viewer_protocol_policy": "redirect-to-https"}],
        "ordered_cache_behavior": [{"viewer_protocol_policy": "allow-all"}],
        "origin": [{"custom_origin_config": [{"origin_protocol_policy": "http-only"}]}],
        "viewer_certificate": [{"acm_certificate_arn": "arn:cert"}],
    }))
    assert dist.viewer_protocol_policies == ("redirect-to-https", "allow-all")
    assert dist.origin_protocol_policies == ("http-only",)
    assert (dist.uses_default_certificate, dist.minimum_protocol_version) == (False, "TLSv1")
    assert dist.access_logging is False


def test_cloudfront_logging_v2() -> None:
    dist = raw("aws_cloudfront_distribution", attrs={})
    source = raw("aws_cloudwatch_log_delivery_source", "s", {
        "log_type": "ACCESS_LOGS", "resource_arn": ref(dist, "arn")})
    assert adapt1(CloudFrontDistribution, dist, source).access_logging is True


def test_rest_stage_throttling_waf_and_methods() -> None:
    api = raw("aws_api_gateway_rest_api", attrs={"name": "records", "tags": {"public": "true"}})
    stage = raw("aws_api_gateway_stage", attrs={"rest_api_id": ref(api), "stage_name": "prod",
                                                "xray_tracing_enabled": True})
    settings = raw("aws_api_gateway_method_settings", "s", {
        "rest_api_id": ref(api), "stage_name": ref(stage, "stage_name"),
        "settings": [{"throttling_rate_limit": 10}]})
    waf = raw("aws_wafv2_web_acl_association", "w", {
        "resource_arn": ref(stage, "arn"), "web_acl_arn": "arn:waf"})
    method = raw("aws_api_gateway_method", "m", {"rest_api_id": ref(api), "http_method": "GET",
                                                 "authorization": "NONE"})
    out = adapt_terraform([api, stage, settings, waf, method])
    s = only(out, ApiGatewayStage)
    assert (s.throttling_configured, s.web_acl, s.tracing, s.protocol) == (
        True, "arn:waf", True, "REST")
    m = only(out, ApiGatewayMethod)
    assert (m.authorization_type, m.api_public_by_tag) == ("NONE", True)


def test_http_api_stage_and_route_protocol() -> None:
    api = raw("aws_apigatewayv2_api", attrs={"protocol_type": "WEBSOCKET"})
    stage = raw("aws_apigatewayv2_stage", attrs={"api_id": ref(api)})
    route = raw("aws_apigatewayv2_route", "r", {"api_id": ref(api), "route_key": "$connect"})
    out = adapt_terraform([api, stage, route])
    assert only(out, ApiGatewayStage).protocol == "WEBSOCKET"
    assert only(out, ApiGatewayMethod).http_method == "$connect"
    orphan = adapt1(ApiGatewayStage, raw("aws_apigatewayv2_stage", "o", {"api_id": "abc"}))
    assert is_unknown(orphan.protocol)


def test_acm_certificates() -> None:
    dns = adapt1(AcmCertificate, raw("aws_acm_certificate", attrs={"validation_method": "DNS"}))
    imported = adapt1(AcmCertificate, raw("aws_acm_certificate", "i", {"private_key": "k",
                                                                      "certificate_body": "c"}))
    assert (dns.validation_method, dns.key_algorithm, dns.imported) == ("DNS", "RSA_2048", False)
    assert (imported.imported, imported.validation_method) == (True, None)


def test_lambda_permission() -> None:
    perm = adapt1(LambdaPermission, raw("aws_lambda_permission", attrs={
        "principal": "s3.amazonaws.com", "source_arn": "arn:aws:s3:::b"}))
    assert (perm.principal, perm.source_arn) == ("s3.amazonaws.com", "arn:aws:s3:::b")


# --------------------------------------------------------------------------- network


def test_vpc_default_security_group() -> None:
    vpc = raw("aws_vpc", attrs={"cidr_block": "10.0.0.0/16"})
    closed = raw("aws_default_security_group", "d", {"vpc_id": ref(vpc)})
    out = adapt_terraform([vpc, closed])
    assert only(out, Vpc).default_sg_restricted is True
    assert only(out, SecurityGroup).is_default is True
    opened = raw("aws_default_security_group", "o", {"vpc_id": ref(vpc), "ingress": [
        {"protocol": "-1", "self": True, "from_port": 0, "to_port": 0}]})
    assert only(adapt_terraform([vpc, opened]), Vpc).default_sg_restricted is False
    assert only(adapt_terraform([vpc]), Vpc).default_sg_restricted is None


def test_flow_log_target() -> None:
    vpc = raw("aws_vpc")
    flow = adapt1(FlowLog, raw("aws_flow_log", "f", {"vpc_id": ref(vpc)}), vpc)
    assert flow.target == vpc.address


def test_network_acl_inline_and_rule_resources() -> None:
    acl = raw("aws_network_acl", attrs={"ingress": [
        {"rule_no": 100, "protocol": "tcp", "action": "allow", "cidr_block": "0.0.0.0/0",
         "from_port": 443, "to_port": 443}]})
    extra = raw("aws_network_acl_rule", "r", {
        "network_acl_id": ref(acl), "rule_number": 90, "egress": False, "protocol": "6",
        "rule_action": "deny", "cidr_block": "0.0.0.0/0", "from_port": 22, "to_port": 22})
    out = only(adapt_terraform([acl, extra]), NetworkAcl)
    assert not is_unknown(out.rules)
    assert [(r.rule_number, r.action, r.protocol) for r in out.rules] == [
        (100, "allow", "tcp"), (90, "deny", "tcp")]
    lonely = raw("aws_network_acl_rule", "l", {"network_acl_id": "acl-123", "rule_number": 5,
                                               "protocol": "-1", "rule_action": "allow",
                                               "cidr_block": "0.0.0.0/0"})
    assert len(only(adapt_terraform([lonely]), NetworkAcl).rules) == 1  # type: ignore[arg-type]


def test_vpn_tunnels() -> None:
    vpn = adapt1(VpnConnection, raw("aws_vpn_connection", attrs={
        "tunnel1_ike_versions": ["ikev2"], "tunnel1_phase1_dh_group_numbers": [20]}))
    assert not is_unknown(vpn.tunnels)
    t1, t2 = vpn.tunnels
    assert (t1.ike_versions, t1.phase1_dh_groups, t1.phase2_dh_groups) == (("ikev2",), (20,), None)
    assert t2.ike_versions is None


def test_load_balancer_access_logs_default_off() -> None:
    lb = adapt1(LoadBalancer, raw("aws_lb", attrs={"access_logs": [{"bucket": "b"}]}))
    classic = adapt1(LoadBalancer, raw("aws_elb", "c", {"access_logs": [{"bucket": "b"}]}))
    assert (lb.access_logging, classic.access_logging, classic.lb_type) == (
        False, True, "classic")


# --------------------------------------------------------------------------- monitoring


def test_trail_selectors() -> None:
    trail = adapt1(CloudTrail, raw("aws_cloudtrail", attrs={"event_selector": [{
        "exclude_management_event_sources": ["kms.amazonaws.com"],
        "data_resource": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]}]}))
    assert trail.excluded_event_sources == ("kms.amazonaws.com",)
    assert trail.data_event_resources == ("*",)
    partial = PartialString((Reference("aws_s3_bucket.b", "arn"), "/"), "arn of a bucket")
    advanced = adapt1(CloudTrail, raw("aws_cloudtrail", "a", {"advanced_event_selector": [
        {"field_selector": [{"field": "eventCategory", "equals": ["Data"]},
                            {"field": "resources.type", "equals": ["AWS::S3::Object"]},
                            {"field": "resources.ARN", "starts_with": [partial]}]},
        {"field_selector": [{"field": "eventCategory", "equals": ["Management"]},
                            {"field": "eventSource", "not_equals": ["kms.amazonaws.com"]}]}]}))
    assert advanced.data_event_resources == ("${aws_s3_bucket.b.arn}/",)
    assert advanced.excluded_event_sources == ("kms.amazonaws.com",)


def test_metric_filter_event_rule_and_target() -> None:
    mf = adapt1(MetricFilter, raw("aws_cloudwatch_log_metric_filter", attrs={
        "pattern": "{ $.x = 1 }", "log_group_name": "/g",
        "metric_transformation": [{"name": "N", "namespace": "S"}]}))
    assert (mf.pattern, mf.log_group, mf.metric_name, mf.metric_namespace) == (
        "{ $.x = 1 }", "/g", "N", "S")
    rule = raw("aws_cloudwatch_event_rule", "r", {"name": "r", "event_pattern": '{"a": 1}'})
    target = raw("aws_cloudwatch_event_target", "t", {"rule": ref(rule, "name"), "arn": "arn:t"})
    found = adapt1(EventRule, rule, target)
    assert (found.pattern, found.targets, found.enabled) == ('{"a": 1}', ("arn:t",), True)


def test_config_recorder_status() -> None:
    recorder = raw("aws_config_configuration_recorder", attrs={"name": "main"})
    status = raw("aws_config_configuration_recorder_status", "s", {
        "name": ref(recorder, "name"), "is_enabled": True})
    out = adapt1(ConfigRecorder, recorder, status)
    assert (out.recording, out.all_supported, out.include_global_resources) == (True, True, False)
    assert adapt1(ConfigRecorder, raw("aws_config_configuration_recorder", "n")).recording is False


def test_guardduty_features() -> None:
    detector = raw("aws_guardduty_detector", attrs={"enable": True})
    feature = raw("aws_guardduty_detector_feature", "f", {
        "detector_id": ref(detector), "name": "RUNTIME_MONITORING", "status": "ENABLED"})
    out = adapt1(GuardDutyDetector, detector, feature)
    assert out.features == {"RUNTIME_MONITORING": True}


def test_codebuild_plaintext_env_and_logs() -> None:
    project = adapt1(CodeBuildProject, raw("aws_codebuild_project", attrs={
        "environment": [{"privileged_mode": True, "environment_variable": [
            {"name": "A", "value": "1"}, {"name": "B", "value": "x", "type": "SECRETS_MANAGER"}]}],
        "logs_config": [{"cloudwatch_logs": [{"status": "DISABLED"}]}]}))
    assert (project.privileged_mode, project.logs_enabled) == (True, False)
    assert project.plaintext_env == {"A": "1"}


# --------------------------------------------------------------------------- IAM and KMS


def test_policy_attachments_and_role_sessions() -> None:
    policy = raw("aws_iam_policy", attrs={"name": "p", "policy": '{"Statement": []}'})
    group = raw("aws_iam_group_policy_attachment", "g", {"group": "ops",
                                                         "policy_arn": ref(policy, "arn")})
    role = raw("aws_iam_role", "r", {"name": "admin", "max_session_duration": 7200})
    attach = raw("aws_iam_role_policy_attachment", "a", {"role": ref(role, "name"),
                                                         "policy_arn": ref(policy, "arn")})
    out = adapt_terraform([policy, group, role, attach])
    assert only(out, IamPolicy).attachments == ("group:ops", "role:aws_iam_role.r")
    assert only(out, IamRole).max_session_duration == 7200


def test_kms_multi_region_replicas_and_origin() -> None:
    key = raw("aws_kms_key", attrs={"multi_region": True})
    replica = raw("aws_kms_replica_key", "r", {"primary_key_arn": ref(key, "arn")})
    out = adapt1(KmsKey, key, replica)
    assert (out.multi_region, out.origin, out.replicas) == (True, "AWS_KMS", (replica.address,))
    external = adapt1(KmsKey, raw("aws_kms_external_key", "e"))
    assert external.origin == "EXTERNAL"


def test_buckets_know_the_trails_of_their_deployment() -> None:
    out = adapt_terraform([raw("aws_s3_bucket", "b"), raw("aws_cloudtrail", "t")])
    assert only(out, S3Bucket).deployment_trails == ("aws_cloudtrail.t",)
    assert only(adapt_terraform([raw("aws_s3_bucket", "c")]), S3Bucket).deployment_trails == ()
