"""CloudFormation AWS adapter, rule-pack types (and SAM), through the real template loader."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TypeVar

import pytest

from tutela.model.aws import (
    AcmCertificate,
    ApiGatewayMethod,
    ApiGatewayStage,
    BackupPlan,
    BackupVault,
    CloudFrontDistribution,
    CloudTrail,
    ConfigRecorder,
    DatabaseInstance,
    DynamoDbTable,
    ElastiCacheReplicationGroup,
    EventRule,
    GuardDutyDetector,
    IamPolicy,
    KmsKey,
    LambdaFunction,
    LambdaFunctionUrl,
    LoadBalancer,
    MetricAlarm,
    MetricFilter,
    NetworkAcl,
    OpenSearchDomain,
    RedshiftCluster,
    SecretsManagerSecret,
    SqsQueue,
    StackParameter,
    Vpc,
    VpnConnection,
)
from tutela.model.base import Resource
from tutela.model.policy import PolicyDocument
from tutela.model.values import is_unknown
from tutela.sources.cloudformation import load_cloudformation
from tutela.sources.cloudformation.aws import adapt_cloudformation

R = TypeVar("R", bound=Resource)


def load(tmp_path: Path, resources: str, head: str = "") -> list[Resource]:
    text = 'AWSTemplateFormatVersion: "2010-09-09"\n' + textwrap.dedent(head) + \
        "Resources:\n" + textwrap.indent(textwrap.dedent(resources).strip("\n"), "  ") + "\n"
    path = tmp_path / "t.yaml"
    path.write_text(text)
    result = load_cloudformation(path, root=tmp_path)
    assert not result.errors, result.errors
    return adapt_cloudformation(result.resources)


def only(out: list[Resource], cls: type[R], address: str | None = None) -> R:
    found = [r for r in out if isinstance(r, cls) and (address is None or r.address == address)]
    assert len(found) == 1, found
    return found[0]


def test_regional_resources_take_the_stacks_region_iam_does_not(tmp_path: Path) -> None:
    out = load(tmp_path, """
        Queue:
          Type: AWS::SQS::Queue
        Policy:
          Type: AWS::IAM::ManagedPolicy
          Properties:
            PolicyDocument: {Version: "2012-10-17", Statement: []}
    """)
    assert is_unknown(only(out, SqsQueue).region)
    assert only(out, IamPolicy).region is None


def test_global_table_lives_in_its_replicas(tmp_path: Path) -> None:
    table = only(load(tmp_path, """
        Table:
          Type: AWS::DynamoDB::GlobalTable
          Properties:
            SSESpecification: {SSEEnabled: true, SSEType: KMS}
            Replicas:
              - Region: us-east-1
                PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
                SSESpecification: {KMSMasterKeyId: alias/records}
              - Region: us-west-2
                PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
                SSESpecification: {KMSMasterKeyId: alias/records}
    """), DynamoDbTable)
    assert table.region is None and table.replica_regions == ("us-east-1", "us-west-2")
    assert table.point_in_time_recovery is True and table.encryption.kms_key == "alias/records"


def test_parameters_become_stack_parameters(tmp_path: Path) -> None:
    out = load(tmp_path, """
        Topic:
          Type: AWS::SNS::Topic
    """, head="""
        Parameters:
          DbPassword:
            Type: String
            NoEcho: true
          ApiToken:
            Type: String
            Default: tok-123456
    """)
    params = {p.parameter_name: p for p in out if isinstance(p, StackParameter)}
    assert params["DbPassword"].no_echo is True and params["DbPassword"].default is None
    assert params["ApiToken"].no_echo is False and params["ApiToken"].default == "tok-123456"
    assert params["ApiToken"].location is not None and params["ApiToken"].region is None


def test_data_stores(tmp_path: Path) -> None:
    out = load(tmp_path, """
        Cache:
          Type: AWS::ElastiCache::ReplicationGroup
          Properties:
            ReplicationGroupDescription: c
            AuthToken: "{{resolve:secretsmanager:c:SecretString:t}}"
        Search:
          Type: AWS::OpenSearchService::Domain
          Properties:
            LogPublishingOptions:
              AUDIT_LOGS: {Enabled: true, CloudWatchLogsLogGroupArn: arn}
            VPCOptions: {SubnetIds: [s]}
        Warehouse:
          Type: AWS::Redshift::Cluster
          Properties:
            ClusterType: single-node
            NodeType: ra3.xlplus
            MasterUsername: u
            LoggingProperties: {LogDestinationType: cloudwatch}
        Queue:
          Type: AWS::SQS::Queue
          Properties: {SqsManagedSseEnabled: false}
    """)
    cache = only(out, ElastiCacheReplicationGroup)
    assert (cache.auth_token_set, cache.at_rest_encryption) == (True, False)
    search = only(out, OpenSearchDomain)
    assert (search.audit_logs, search.in_vpc) == (True, True)
    warehouse = only(out, RedshiftCluster)
    assert warehouse.encryption.enabled is True and warehouse.audit_logging is True
    assert is_unknown(warehouse.require_ssl)
    assert only(out, SqsQueue).encryption.enabled is False


def test_rotation_schedule_and_backup(tmp_path: Path) -> None:
    out = load(tmp_path, """
        Secret:
          Type: AWS::SecretsManager::Secret
        Rotation:
          Type: AWS::SecretsManager::RotationSchedule
          Properties:
            SecretId: !Ref Secret
            RotationRules: {ScheduleExpression: rate(45 days)}
        Plan:
          Type: AWS::Backup::BackupPlan
          Properties:
            BackupPlan:
              BackupPlanName: p
              BackupPlanRule:
                - RuleName: daily
                  TargetBackupVault: v
                  Lifecycle: {DeleteAfterDays: 30}
        Selection:
          Type: AWS::Backup::BackupSelection
          Properties:
            BackupPlanId: !Ref Plan
            BackupSelection: {SelectionName: s, IamRoleArn: arn}
        Vault:
          Type: AWS::Backup::BackupVault
          Properties:
            BackupVaultName: v
            LockConfiguration: {MinRetentionDays: 7}
    """)
    secret = only(out, SecretsManagerSecret)
    assert (secret.rotation_enabled, secret.rotation_days) == (True, 45)
    plan = only(out, BackupPlan)
    assert not is_unknown(plan.rules) and plan.rules[0].retention_days == 30
    assert plan.selections == ("Selection",)
    vault = only(out, BackupVault)
    assert (vault.locked, vault.min_retention_days, vault.notification_events) == (True, 7, ())


def test_edge_and_apis(tmp_path: Path) -> None:
    out = load(tmp_path, """
        Dist:
          Type: AWS::CloudFront::Distribution
          Properties:
            DistributionConfig:
              DefaultCacheBehavior: {ViewerProtocolPolicy: allow-all, TargetOriginId: o}
              Enabled: true
        Api:
          Type: AWS::ApiGateway::RestApi
          Properties:
            Name: a
            Tags: [{Key: exposure, Value: public}]
        Stage:
          Type: AWS::ApiGateway::Stage
          Properties:
            RestApiId: !Ref Api
            StageName: prod
        Plan:
          Type: AWS::ApiGateway::UsagePlan
          Properties:
            ApiStages: [{ApiId: !Ref Api, Stage: !Ref Stage}]
            Throttle: {RateLimit: 10}
        Waf:
          Type: AWS::WAFv2::WebACLAssociation
          Properties:
            ResourceArn: !Sub arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/${Stage}
            WebACLArn: arn:waf
        Method:
          Type: AWS::ApiGateway::Method
          Properties:
            RestApiId: !Ref Api
            HttpMethod: GET
        Cert:
          Type: AWS::CertificateManager::Certificate
          Properties: {DomainName: a.example.org}
    """)
    dist = only(out, CloudFrontDistribution)
    assert dist.viewer_protocol_policies == ("allow-all",) and dist.uses_default_certificate
    stage = only(out, ApiGatewayStage)
    assert (stage.throttling_configured, stage.web_acl) == (True, "arn:waf")
    method = only(out, ApiGatewayMethod)
    assert (method.authorization_type, method.api_public_by_tag) == ("NONE", True)
    assert only(out, AcmCertificate).validation_method == "EMAIL"


def test_sam_function_policies_url_and_api(tmp_path: Path) -> None:
    out = load(tmp_path, """
        Fn:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: python3.12
            Handler: a.h
            CodeUri: src/
            Policies:
              - AWSLambdaBasicExecutionRole
              - S3ReadPolicy: {BucketName: b}
              - Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}]
            FunctionUrlConfig: {AuthType: NONE}
        Api:
          Type: AWS::Serverless::Api
          Properties:
            StageName: prod
            TracingEnabled: true
    """, head="Transform: AWS::Serverless-2016-10-31\n")
    fn = only(out, LambdaFunction)
    assert fn.role_managed_policies == ("AWSLambdaBasicExecutionRole",)
    assert not is_unknown(fn.role_policies) and len(fn.role_policies) == 1
    assert only(out, LambdaFunctionUrl).authorization_type == "NONE"
    assert only(out, ApiGatewayStage).tracing is True


def test_network(tmp_path: Path) -> None:
    out = load(tmp_path, """
        Vpc:
          Type: AWS::EC2::VPC
          Properties: {CidrBlock: 10.0.0.0/16}
        DefaultIn:
          Type: AWS::EC2::SecurityGroupIngress
          Properties:
            GroupId: !GetAtt Vpc.DefaultSecurityGroup
            IpProtocol: "-1"
            CidrIp: 10.0.0.0/8
        Acl:
          Type: AWS::EC2::NetworkAcl
          Properties: {VpcId: !Ref Vpc}
        Entry:
          Type: AWS::EC2::NetworkAclEntry
          Properties:
            NetworkAclId: !Ref Acl
            RuleNumber: 100
            Protocol: -1
            RuleAction: allow
            CidrBlock: 0.0.0.0/0
        Vpn:
          Type: AWS::EC2::VPNConnection
          Properties:
            Type: ipsec.1
            CustomerGatewayId: cgw
            VpnTunnelOptionsSpecifications:
              - IKEVersions: [{Value: ikev2}]
        Lb:
          Type: AWS::ElasticLoadBalancingV2::LoadBalancer
          Properties:
            Scheme: internal
            LoadBalancerAttributes: [{Key: access_logs.s3.enabled, Value: "true"}]
    """)
    assert only(out, Vpc).default_sg_restricted is False
    acl = only(out, NetworkAcl)
    assert not is_unknown(acl.rules)
    assert [(r.rule_number, r.protocol, r.action) for r in acl.rules] == [(100, "-1", "allow")]
    vpn = only(out, VpnConnection)
    assert not is_unknown(vpn.tunnels)
    assert [t.ike_versions for t in vpn.tunnels] == [("ikev2",), None]
    lb = only(out, LoadBalancer)
    assert (lb.internal, lb.access_logging, lb.lb_type) == (True, True, "application")


def test_monitoring_and_governance(tmp_path: Path) -> None:
    out = load(tmp_path, """
        Trail:
          Type: AWS::CloudTrail::Trail
          Properties:
            IsLogging: true
            S3BucketName: b
            SnsTopicName: t
            EventSelectors:
              - ExcludeManagementEventSources: [kms.amazonaws.com]
                DataResources: [{Type: "AWS::S3::Object", Values: ["arn:aws:s3:::docs/"]}]
        Filter:
          Type: AWS::Logs::MetricFilter
          Properties:
            LogGroupName: /aws/cloudtrail/org
            FilterPattern: '{ $.eventName = "ConsoleLogin" }'
            MetricTransformations: [{MetricName: M, MetricNamespace: N, MetricValue: "1"}]
        Alarm:
          Type: AWS::CloudWatch::Alarm
          Properties:
            MetricName: M
            Namespace: N
            AlarmActions: [!Ref Topic]
        Topic:
          Type: AWS::SNS::Topic
        Rule:
          Type: AWS::Events::Rule
          Properties:
            EventPattern: {source: [aws.backup]}
            Targets: [{Id: t, Arn: !Ref Topic}]
        Recorder:
          Type: AWS::Config::ConfigurationRecorder
          Properties:
            RoleARN: arn
            RecordingGroup: {AllSupported: true, IncludeGlobalResourceTypes: true}
        Detector:
          Type: AWS::GuardDuty::Detector
          Properties:
            Enable: true
            Features: [{Name: EKS_RUNTIME_MONITORING, Status: ENABLED}]
        Key:
          Type: AWS::KMS::Key
          Properties: {MultiRegion: true, Origin: EXTERNAL}
    """)
    trail = only(out, CloudTrail)
    assert (trail.sns_topic, trail.excluded_event_sources, trail.data_event_resources) == (
        "t", ("kms.amazonaws.com",), ("arn:aws:s3:::docs/",))
    mf = only(out, MetricFilter)
    assert (mf.metric_name, mf.log_group) == ("M", "/aws/cloudtrail/org")
    assert only(out, MetricAlarm).alarm_actions == ("Topic",)
    rule = only(out, EventRule)
    assert '"aws.backup"' in str(rule.pattern) and rule.targets == ("Topic",)
    recorder = only(out, ConfigRecorder)
    assert (recorder.all_supported, recorder.include_global_resources, recorder.recording) == (
        True, True, None)
    assert only(out, GuardDutyDetector).features == {"EKS_RUNTIME_MONITORING": True}
    key = only(out, KmsKey)
    assert (key.multi_region, key.origin) == (True, "EXTERNAL")


@pytest.mark.parametrize(("engine", "params", "expected"), [
    ("postgres", "{rds.force_ssl: '1'}", True),
    ("mysql", "{require_secure_transport: 'ON'}", True),
    ("mysql", "{max_connections: '100'}", False),
])
def test_database_tls(tmp_path: Path, engine: str, params: str, expected: bool) -> None:
    out = load(tmp_path, f"""
        Params:
          Type: AWS::RDS::DBParameterGroup
          Properties:
            Family: f
            Description: d
            Parameters: {params}
        Db:
          Type: AWS::RDS::DBInstance
          Properties:
            Engine: {engine}
            EngineVersion: "13.1"
            DBInstanceClass: db.t3.micro
            DBParameterGroupName: !Ref Params
            MasterUserPassword: Plaintext#123
    """)
    db = only(out, DatabaseInstance)
    assert db.require_tls is expected and db.master_password == "Plaintext#123"


def test_managed_policy_attachments(tmp_path: Path) -> None:
    out = load(tmp_path, """
        Admin:
          Type: AWS::IAM::ManagedPolicy
          Properties:
            Groups: [ops]
            PolicyDocument: {Version: "2012-10-17", Statement: []}
        Alice:
          Type: AWS::IAM::User
          Properties:
            ManagedPolicyArns: [!Ref Admin]
    """)
    policy = only(out, IamPolicy, "Admin")
    assert isinstance(policy.document, PolicyDocument)
    assert set(policy.attachments) == {"group:ops", "user:Alice"}


def test_cdk_restricts_the_default_security_group(tmp_path: Path) -> None:
    out = load(tmp_path, """
        Vpc:
          Type: AWS::EC2::VPC
          Properties: {CidrBlock: 10.0.0.0/16}
        Restrict:
          Type: Custom::VpcRestrictDefaultSG
          Properties:
            ServiceToken: arn
            DefaultSecurityGroupId: !GetAtt Vpc.DefaultSecurityGroup
    """)
    assert only(out, Vpc).default_sg_restricted is True
    assert only(load(tmp_path, """
        Vpc:
          Type: AWS::EC2::VPC
    """), Vpc).default_sg_restricted is None
