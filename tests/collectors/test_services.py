"""Every collector: seeded compliant and non-compliant resources, the model filled and the
findings of the rules that judge it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tutela.model.aws import (
    AccessKey,
    AccountPasswordPolicy,
    AccountRoot,
    AcmCertificate,
    ApiGatewayMethod,
    ApiGatewayStage,
    BackupPlan,
    BackupVault,
    CloudFrontDistribution,
    ConfigRecorder,
    DatabaseInstance,
    DynamoDbTable,
    EbsVolume,
    Ec2Instance,
    EcrRepository,
    EksCluster,
    FlowLog,
    GuardDutyDetector,
    IamPolicy,
    IamRole,
    IamUser,
    LoadBalancerListener,
    LogGroup,
    MetricAlarm,
    MetricFilter,
    NetworkAcl,
    S3Bucket,
    SecretsManagerSecret,
    SnsTopic,
    SqsQueue,
    Vpc,
)
from tutela.model.policy import PolicyDocument

from .helpers import (
    ACCOUNT,
    REGION,
    Moto,
    by_arn,
    create_function,
    db_instance,
    judge,
    of_type,
    outcome,
    run,
    security_group,
    sg_arn,
    vpc,
)

ADMIN = json.dumps({"Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
READ = json.dumps({"Version": "2012-10-17",
                   "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                  "Resource": "arn:aws:s3:::reports/*"}]})
PUBLIC_TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]})
SERVICE_TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
     "Action": "sts:AssumeRole"}]})


def test_iam(moto: Moto) -> None:
    iam = moto.client("iam")
    admin = iam.create_policy(PolicyName="admin-all", PolicyDocument=ADMIN)["Policy"]["Arn"]
    reader = iam.create_policy(PolicyName="read-reports", PolicyDocument=READ)["Policy"]["Arn"]
    iam.create_user(UserName="direct")
    iam.attach_user_policy(UserName="direct", PolicyArn=reader)
    iam.put_user_policy(UserName="direct", PolicyName="inline-admin", PolicyDocument=ADMIN)
    iam.create_user(UserName="grouped")
    iam.create_group(GroupName="analysts")
    iam.add_user_to_group(GroupName="analysts", UserName="grouped")
    key = iam.create_access_key(UserName="grouped")["AccessKey"]["AccessKeyId"]
    iam.create_role(RoleName="open-trust", AssumeRolePolicyDocument=PUBLIC_TRUST)
    iam.create_role(RoleName="ec2-trust", AssumeRolePolicyDocument=SERVICE_TRUST)
    iam.attach_role_policy(RoleName="ec2-trust", PolicyArn=reader)
    iam.put_role_policy(RoleName="ec2-trust", PolicyName="inline-read", PolicyDocument=READ)
    iam.update_account_password_policy(MinimumPasswordLength=14, RequireSymbols=True,
                                       MaxPasswordAge=90, PasswordReusePrevention=24)

    collection = run(("iam",))
    findings = judge(collection)
    direct = f"arn:aws:iam::{ACCOUNT}:user/direct"
    grouped = f"arn:aws:iam::{ACCOUNT}:user/grouped"
    user = by_arn(collection, direct)
    assert isinstance(user, IamUser)
    assert set(user.attached_policies) == {reader, "inline-admin"}
    assert user.inline_policies == ("inline-admin",)
    assert user.has_console_password is False
    assert outcome(findings, "IAM002", direct) == {"fail"}
    assert outcome(findings, "IAM002", grouped) == {"pass"}
    assert outcome(findings, "ACC001", grouped) == {"not_applicable"}  # no console password
    assert by_arn(collection, grouped).access_keys == (key,)
    # managed and inline policy documents
    assert outcome(findings, "IAM001", admin) == {"fail"}
    assert outcome(findings, "IAM001", reader) == {"pass"}
    inline = [p for p in of_type(collection, IamPolicy) if p.attached_to == "user"]
    assert [p.principal_name for p in inline] == ["direct"]
    assert {f.status.value for f in findings
            if f.rule_code == "IAM001" and f.resource_address == inline[0].address} == {"fail"}
    # roles: trust policies, attachments and inline documents
    open_trust = f"arn:aws:iam::{ACCOUNT}:role/open-trust"
    ec2_trust = f"arn:aws:iam::{ACCOUNT}:role/ec2-trust"
    assert outcome(findings, "IAM006", open_trust) == {"fail"}
    assert outcome(findings, "IAM006", ec2_trust) == {"pass"}
    role = by_arn(collection, ec2_trust)
    assert isinstance(role, IamRole) and role.managed_policy_arns == (reader,)
    assert len(role.inline_policies) == 1 and isinstance(role.inline_policies[0], PolicyDocument)
    # access keys: age and rotation; live keys are not "declared in code"
    (access_key,) = of_type(collection, AccessKey)
    assert access_key.user == "grouped" and access_key.active is True
    assert access_key.age_days == 0 and isinstance(access_key.created_at, datetime)
    assert {f.status.value for f in findings if f.rule_code == "ACC004"} == {"pass"}
    assert {f.status.value for f in findings if f.rule_code == "IAM003"} == {"not_applicable"}
    # account: password policy and the root user's signals
    (policy,) = of_type(collection, AccountPasswordPolicy)
    assert (policy.minimum_length, policy.require_symbols, policy.max_age_days,
            policy.reuse_prevention) == (14, True, 90, 24)
    (root,) = of_type(collection, AccountRoot)
    assert root.arn == f"arn:aws:iam::{ACCOUNT}:root"
    assert outcome(findings, "ACC002", root.arn) == {"fail"}  # moto's root has no MFA
    assert outcome(findings, "ACC003", root.arn) == {"pass"}


def test_s3(moto: Moto) -> None:
    s3 = moto.client("s3")
    s3.create_bucket(Bucket="records-plain")
    s3.put_public_access_block(Bucket="records-plain", PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "BlockPublicPolicy": False, "IgnorePublicAcls": True,
        "RestrictPublicBuckets": False})
    s3.create_bucket(Bucket="access-logs")
    s3.create_bucket(Bucket="records-safe", ObjectLockEnabledForBucket=True)
    s3.put_bucket_encryption(Bucket="records-safe", ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {
            "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/records"}}]})
    s3.put_bucket_versioning(Bucket="records-safe", VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_tagging(Bucket="records-safe", Tagging={"TagSet": [
        {"Key": "data_classification", "Value": "ephi"}]})
    s3.put_bucket_acl(Bucket="access-logs", ACL="log-delivery-write")
    s3.put_bucket_logging(Bucket="records-safe", BucketLoggingStatus={"LoggingEnabled": {
        "TargetBucket": "access-logs", "TargetPrefix": "records/"}})
    s3.put_bucket_policy(Bucket="records-safe", Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": "arn:aws:s3:::records-safe/*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))

    collection = run(("s3",))
    findings = judge(collection)
    plain = by_arn(collection, "arn:aws:s3:::records-plain")
    safe = by_arn(collection, "arn:aws:s3:::records-safe")
    assert isinstance(plain, S3Bucket) and isinstance(safe, S3Bucket)
    assert plain.region == REGION and plain.bucket_name == "records-plain"
    assert plain.public_access_block is not None
    assert plain.public_access_block.block_public_acls is True
    assert plain.public_access_block.block_public_policy is False
    assert safe.encryption.algorithm == "aws:kms" and safe.encryption.kms_key == "alias/records"
    assert (safe.versioning, safe.object_lock, safe.access_logging) == (True, True, True)
    assert safe.log_target == "access-logs"
    assert isinstance(safe.policy, PolicyDocument) and safe.policy.statements[0].sid == "TlsOnly"
    assert dict(safe.tags) == {"data_classification": "ephi"}
    assert safe.acl == "private" and plain.policy is None
    for code in ("ENC001", "BAK002", "LOG005"):
        assert outcome(findings, code, plain.arn) == {"fail"}, code
        assert outcome(findings, code, safe.arn) == {"pass"}, code
    # the log bucket receives access logs: LOG005 does not ask it to log itself
    assert outcome(findings, "LOG005", "arn:aws:s3:::access-logs") == {"not_applicable"}


def test_ec2(moto: Moto) -> None:
    ec2 = moto.client("ec2")
    vid = vpc(moto)
    open_sg = security_group(moto, "rdp-world", vid, "0.0.0.0/0", port=3389)
    closed_sg = security_group(moto, "https-internal", vid, "10.0.0.0/8", port=443)
    subnet = ec2.create_subnet(VpcId=vid, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    image = ec2.register_image(Name="base", RootDeviceName="/dev/xvda", BlockDeviceMappings=[
        {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}])["ImageId"]
    v1 = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet,
                           UserData="#!/bin/sh\necho hello\n")["Instances"][0]["InstanceId"]
    v2 = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet,
                           MetadataOptions={"HttpTokens": "required"})["Instances"][0]["InstanceId"]
    plain = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=8)["VolumeId"]
    sealed = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=8, Encrypted=True)["VolumeId"]
    snap = ec2.create_snapshot(VolumeId=sealed)["SnapshotId"]
    ec2.modify_snapshot_attribute(SnapshotId=snap, Attribute="createVolumePermission",
                                  OperationType="add", GroupNames=["all"])
    moto.client("s3").create_bucket(Bucket="flow-logs")
    ec2.create_flow_logs(ResourceIds=[vid], ResourceType="VPC", TrafficType="ALL",
                         LogDestinationType="s3", LogDestination="arn:aws:s3:::flow-logs")

    collection = run(("ec2",))
    findings = judge(collection)
    assert outcome(findings, "NET001", sg_arn(open_sg)) == {"fail"}
    assert outcome(findings, "NET001", sg_arn(closed_sg)) == {"pass"}
    group = by_arn(collection, sg_arn(open_sg))
    (rule,) = [r for r in group.rules if r.direction == "ingress"]
    assert (rule.protocol, rule.from_port, rule.to_port, rule.cidr_blocks) == (
        "tcp", 3389, 3389, ("0.0.0.0/0",))
    assert any(r.direction == "egress" and r.protocol == "-1" for r in group.rules)
    i1 = by_arn(collection, f"arn:aws:ec2:{REGION}:{ACCOUNT}:instance/{v1}")
    i2 = by_arn(collection, f"arn:aws:ec2:{REGION}:{ACCOUNT}:instance/{v2}")
    assert isinstance(i1, Ec2Instance) and i1.image_id == image
    assert i1.user_data == "#!/bin/sh\necho hello\n"
    assert i1.root_volume_encryption is not None
    assert outcome(findings, "NET004", i1.arn) == {"fail"}  # IMDSv1 allowed
    assert outcome(findings, "NET004", i2.arn) == {"pass"}
    assert outcome(findings, "ENC002", f"arn:aws:ec2:{REGION}:{ACCOUNT}:volume/{plain}") == {
        "fail"}
    assert outcome(findings, "ENC002", f"arn:aws:ec2:{REGION}:{ACCOUNT}:volume/{sealed}") == {
        "pass"}
    assert all(isinstance(v, EbsVolume) for v in of_type(collection, EbsVolume))
    snapshot = by_arn(collection, f"arn:aws:ec2:{REGION}:{ACCOUNT}:snapshot/{snap}")
    assert (snapshot.encrypted, snapshot.public, snapshot.snapshot_type) == (True, True, "ebs")
    assert any(v.vpc_id == vid and v.is_default is False for v in of_type(collection, Vpc))
    (flow,) = of_type(collection, FlowLog)
    assert flow.target == vid and flow.traffic_type == "ALL"
    acls = of_type(collection, NetworkAcl)
    assert acls and all(isinstance(a.rules, tuple) for a in acls)


def test_rds(moto: Moto) -> None:
    rds = moto.client("rds")
    bad = db_instance(moto, "notes-db", 1)
    good = db_instance(moto, "claims-db", 14)
    rds.modify_db_instance(DBInstanceIdentifier="claims-db", MultiAZ=True,
                           DeletionProtection=True, ApplyImmediately=True)
    rds.create_db_cluster(DBClusterIdentifier="aurora", Engine="aurora-postgresql",
                          MasterUsername="admin_user", MasterUserPassword="not-a-real-password-1",
                          StorageEncrypted=True, BackupRetentionPeriod=10)
    rds.create_db_snapshot(DBInstanceIdentifier="claims-db", DBSnapshotIdentifier="claims-snap")

    collection = run(("rds",))
    findings = judge(collection)
    assert outcome(findings, "BAK001", bad) == {"fail"}
    assert outcome(findings, "BAK001", good) == {"pass"}
    assert outcome(findings, "DR001", bad) == {"fail"}
    assert outcome(findings, "DR001", good) == {"pass"}
    assert outcome(findings, "DR002", good) == {"pass"}
    cluster = [d for d in of_type(collection, DatabaseInstance) if d.is_cluster]
    assert len(cluster) == 1 and cluster[0].backup_retention_days == 10
    assert outcome(findings, "ENC003", cluster[0].arn) == {"pass"}
    snap = [s for s in collection.resources if getattr(s, "snapshot_type", "") == "rds"
            and s.name == "claims-snap"]
    assert snap and snap[0].public is False


def test_kms(moto: Moto) -> None:
    kms = moto.client("kms")
    plain = kms.create_key()["KeyMetadata"]
    rotated = kms.create_key(Tags=[{"TagKey": "team", "TagValue": "claims"}])["KeyMetadata"]
    kms.enable_key_rotation(KeyId=rotated["KeyId"])
    signing = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
    collection = run(("kms",))
    findings = judge(collection)
    assert outcome(findings, "KEY001", plain["Arn"]) == {"fail"}
    assert outcome(findings, "KEY001", rotated["Arn"]) == {"pass"}
    assert outcome(findings, "KEY001", signing["Arn"]) == {"not_applicable"}
    assert outcome(findings, "KEY002", plain["Arn"]) == {"pass"}  # the default key policy
    assert dict(by_arn(collection, rotated["Arn"]).tags) == {"team": "claims"}


def test_cloudtrail_in_its_home_region_only(moto: Moto) -> None:
    moto.client("s3").create_bucket(Bucket="trail-logs")
    ct = moto.client("cloudtrail")
    arn = ct.create_trail(Name="everywhere", S3BucketName="trail-logs", IsMultiRegionTrail=True,
                          EnableLogFileValidation=True, KmsKeyId="alias/trail")["TrailARN"]
    ct.start_logging(Name="everywhere")
    collection = run(("cloudtrail",), regions=(REGION, "us-west-2"))
    trails = [r for r in collection.resources if r.arn == arn]
    assert len(trails) == 1  # not once more as the us-west-2 shadow trail
    trail = trails[0]
    assert (trail.multi_region, trail.log_file_validation, trail.logging_enabled) == (
        True, True, True)
    assert trail.management_events is True and trail.data_events is False
    assert {f.status.value for f in judge(collection, ["LOG001", "LOG002", "LOG003"])} == {"pass"}


def test_logs_and_alarms(moto: Moto) -> None:
    logs = moto.client("logs")
    logs.create_log_group(logGroupName="/app/short")
    logs.put_retention_policy(logGroupName="/app/short", retentionInDays=30)
    logs.create_log_group(logGroupName="/app/long")
    logs.put_retention_policy(logGroupName="/app/long", retentionInDays=400)
    logs.put_metric_filter(logGroupName="/app/long", filterName="console-no-mfa",
                           filterPattern='{ $.additionalEventData.MFAUsed != "Yes" }',
                           metricTransformations=[{"metricName": "NoMfa",
                                                   "metricNamespace": "CIS", "metricValue": "1"}])
    moto.client("cloudwatch").put_metric_alarm(
        AlarmName="no-mfa", MetricName="NoMfa", Namespace="CIS", Statistic="Sum", Period=300,
        EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanOrEqualToThreshold",
        AlarmActions=[f"arn:aws:sns:{REGION}:{ACCOUNT}:security"])
    collection = run(("logs",))
    findings = judge(collection)
    short = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/app/short"
    long = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/app/long"
    assert outcome(findings, "LOG004", short) == {"fail"}
    assert outcome(findings, "LOG004", long) == {"pass"}
    (metric_filter,) = of_type(collection, MetricFilter)
    assert (metric_filter.log_group, metric_filter.metric_name) == ("/app/long", "NoMfa")
    (alarm,) = of_type(collection, MetricAlarm)
    assert alarm.metric_name == "NoMfa" and alarm.alarm_actions == (
        f"arn:aws:sns:{REGION}:{ACCOUNT}:security",)
    assert all(isinstance(g, LogGroup) for g in of_type(collection, LogGroup))


def test_config_and_guardduty(moto: Moto) -> None:
    cfg = moto.client("config")
    cfg.put_configuration_recorder(ConfigurationRecorder={
        "name": "default", "roleARN": f"arn:aws:iam::{ACCOUNT}:role/config",
        "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True}})
    cfg.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "config-logs"})
    moto.client("s3").create_bucket(Bucket="config-logs")
    cfg.start_configuration_recorder(ConfigurationRecorderName="default")
    moto.client("guardduty").create_detector(Enable=True)
    moto.client("guardduty", "us-west-2").create_detector(Enable=False)
    collection = run(("config", "guardduty"), regions=(REGION, "us-west-2"))
    (recorder,) = of_type(collection, ConfigRecorder)
    assert (recorder.all_supported, recorder.include_global_resources, recorder.recording) == (
        True, True, True)
    detectors = {d.region: d.enabled for d in of_type(collection, GuardDutyDetector)}
    assert detectors == {REGION: True, "us-west-2": False}


def test_lambda(moto: Moto) -> None:
    slow = create_function(moto, "payer-webhook", 900,
                           Environment={"Variables": {"MODE": "batch"}})
    quick = create_function(moto, "member-lookup", 30, TracingConfig={"Mode": "Active"})
    moto.client("lambda").put_function_concurrency(FunctionName="member-lookup",
                                                   ReservedConcurrentExecutions=5)
    collection = run(("lambda",))
    findings = judge(collection)
    assert outcome(findings, "FN001", slow) == {"fail"}
    assert outcome(findings, "FN001", quick) == {"pass"}
    assert outcome(findings, "FN002", quick) == {"pass"}
    assert outcome(findings, "FN003", slow) == {"fail"}  # environment on the AWS-managed key
    assert outcome(findings, "FN003", quick) == {"not_applicable"}
    fn = by_arn(collection, quick)
    assert (fn.reserved_concurrency, fn.runtime, fn.timeout_seconds) == (5, "python3.12", 30)
    assert str(fn.role).endswith(":role/fn-exec")


def test_apigateway(moto: Moto) -> None:
    rest = moto.client("apigateway")
    api = rest.create_rest_api(name="claims")["id"]
    root = rest.get_resources(restApiId=api)["items"][0]["id"]
    rest.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    rest.put_method(restApiId=api, resourceId=root, httpMethod="POST",
                    authorizationType="AWS_IAM", apiKeyRequired=True)
    for verb in ("GET", "POST"):
        rest.put_integration(restApiId=api, resourceId=root, httpMethod=verb, type="MOCK")
    deployment = rest.create_deployment(restApiId=api)["id"]
    rest.create_stage(restApiId=api, stageName="prod", deploymentId=deployment,
                      tracingEnabled=True)
    collection = run(("apigateway",))
    (stage,) = of_type(collection, ApiGatewayStage)
    assert stage.api_id == api and stage.tracing is True and stage.access_logging is False
    methods = {m.http_method: m for m in of_type(collection, ApiGatewayMethod)}
    assert methods["GET"].authorization_type == "NONE"
    assert (methods["POST"].authorization_type, methods["POST"].api_key_required) == (
        "AWS_IAM", True)


def test_elbv2(moto: Moto) -> None:
    ec2 = moto.client("ec2")
    vid = vpc(moto)
    subnets = [ec2.create_subnet(VpcId=vid, CidrBlock=f"10.0.{i}.0/24",
                                 AvailabilityZone=f"{REGION}{z}")["Subnet"]["SubnetId"]
               for i, z in ((1, "a"), (2, "b"))]
    elb = moto.client("elbv2")
    lb = elb.create_load_balancer(Name="portal", Subnets=subnets)["LoadBalancers"][0]
    tg = elb.create_target_group(Name="portal", Protocol="HTTP", Port=80, VpcId=vid)
    target = tg["TargetGroups"][0]["TargetGroupArn"]
    plain = elb.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=8080,
                                DefaultActions=[{"Type": "forward", "TargetGroupArn": target}])
    redirect = elb.create_listener(
        LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80,
        DefaultActions=[{"Type": "redirect", "RedirectConfig": {
            "Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}])
    collection = run(("elbv2",))
    findings = judge(collection)
    plain_arn = plain["Listeners"][0]["ListenerArn"]
    redirect_arn = redirect["Listeners"][0]["ListenerArn"]
    assert outcome(findings, "ENC004", plain_arn) == {"fail"}
    assert outcome(findings, "ENC004", redirect_arn) == {"pass"}
    listener = by_arn(collection, redirect_arn)
    assert isinstance(listener, LoadBalancerListener) and listener.redirects_to_https is True


def test_cloudfront(moto: Moto) -> None:
    cf = moto.client("cloudfront")
    answer = cf.create_distribution(DistributionConfig={
        "CallerReference": "portal", "Comment": "", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{
            "Id": "web", "DomainName": "portal.example.com",
            "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443,
                                   "OriginProtocolPolicy": "http-only"}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "web", "ViewerProtocolPolicy": "allow-all",
                                 "MinTTL": 0, "ForwardedValues": {
                                     "QueryString": False, "Cookies": {"Forward": "none"}}}})
    collection = run(("cloudfront",))
    (dist,) = of_type(collection, CloudFrontDistribution)
    assert dist.arn == answer["Distribution"]["ARN"]
    assert dist.viewer_protocol_policies == ("allow-all",)
    assert dist.origin_protocol_policies == ("http-only",)
    assert dist.access_logging is False and dist.region == "global"


def test_acm(moto: Moto) -> None:
    arn = moto.client("acm").request_certificate(DomainName="portal.example.com")[
        "CertificateArn"]
    collection = run(("acm",))
    cert = by_arn(collection, arn)
    assert isinstance(cert, AcmCertificate) and cert.domain_name == "portal.example.com"
    assert cert.status is not None and cert.in_use is False


def test_ecr(moto: Moto) -> None:
    ecr = moto.client("ecr")
    bad = ecr.create_repository(repositoryName="mutable-app")["repository"]["repositoryArn"]
    good = ecr.create_repository(
        repositoryName="pinned-app", imageTagMutability="IMMUTABLE",
        imageScanningConfiguration={"scanOnPush": True})["repository"]["repositoryArn"]
    ecr.set_repository_policy(repositoryName="pinned-app", policyText=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Sid": "Pull", "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "ecr:BatchGetImage"}]}))
    collection = run(("ecr",))
    findings = judge(collection)
    for code in ("CTR011", "CTR012"):
        assert outcome(findings, code, bad) == {"fail"}, code
        assert outcome(findings, code, good) == {"pass"}, code
    repo = by_arn(collection, good)
    assert isinstance(repo, EcrRepository) and isinstance(repo.policy, PolicyDocument)


def test_eks(moto: Moto) -> None:
    eks = moto.client("eks")
    arn = eks.create_cluster(name="claims", roleArn=f"arn:aws:iam::{ACCOUNT}:role/eks",
                             resourcesVpcConfig={"subnetIds": ["subnet-1"]},
                             logging={"clusterLogging": [{"types": ["api", "audit"],
                                                          "enabled": True}]})["cluster"]["arn"]
    collection = run(("eks",))
    cluster = by_arn(collection, arn)
    assert isinstance(cluster, EksCluster)
    assert set(cluster.log_types) == {"api", "audit"}
    findings = judge(collection)
    assert outcome(findings, "LOG006", arn) == {"fail"}  # authenticator logs missing


def test_dynamodb(moto: Moto) -> None:
    ddb = moto.client("dynamodb")
    for name in ("plain", "recoverable"):
        ddb.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         BillingMode="PAY_PER_REQUEST")
    ddb.update_continuous_backups(TableName="recoverable", PointInTimeRecoverySpecification={
        "PointInTimeRecoveryEnabled": True})
    collection = run(("dynamodb",))
    tables = {t.name: t for t in of_type(collection, DynamoDbTable)}
    assert tables["plain"].point_in_time_recovery is False
    assert tables["recoverable"].point_in_time_recovery is True
    assert tables["plain"].encryption.enabled is True


def test_backup_vaults_and_plans(moto: Moto) -> None:
    bk = moto.client("backup")
    bk.create_backup_vault(BackupVaultName="records")
    bk.create_backup_plan(BackupPlan={"BackupPlanName": "daily", "Rules": [{
        "RuleName": "daily", "TargetBackupVaultName": "records",
        "ScheduleExpression": "cron(0 5 * * ? *)", "Lifecycle": {"DeleteAfterDays": 35}}]})
    collection = run(("backup",))
    (vault,) = of_type(collection, BackupVault)
    assert vault.name == "records" and vault.locked is False
    (plan,) = of_type(collection, BackupPlan)
    assert [(r.name, r.schedule, r.retention_days) for r in plan.rules] == [
        ("daily", "cron(0 5 * * ? *)", 35)]


def test_secretsmanager(moto: Moto) -> None:
    sm = moto.client("secretsmanager")
    arn = sm.create_secret(Name="db-password", SecretString="x",
                           KmsKeyId="alias/secrets")["ARN"]
    collection = run(("secretsmanager",))
    secret = by_arn(collection, arn)
    assert isinstance(secret, SecretsManagerSecret)
    assert (secret.kms_key, secret.rotation_enabled) == ("alias/secrets", False)


def test_sns_and_sqs(moto: Moto) -> None:
    sns = moto.client("sns")
    plain_topic = sns.create_topic(Name="plain")["TopicArn"]
    sealed_topic = sns.create_topic(Name="sealed", Attributes={
        "KmsMasterKeyId": "alias/messages"})["TopicArn"]
    sqs = moto.client("sqs")
    sqs.create_queue(QueueName="plain", Attributes={"SqsManagedSseEnabled": "false"})
    sqs.create_queue(QueueName="sealed", Attributes={"KmsMasterKeyId": "alias/messages"})
    collection = run(("sns", "sqs"))
    topics = {t.arn: t for t in of_type(collection, SnsTopic)}
    assert topics[plain_topic].kms_key is None
    assert topics[sealed_topic].kms_key == "alias/messages"
    queues = {q.name: q for q in of_type(collection, SqsQueue)}
    assert queues["plain"].encryption.enabled is False
    assert (queues["sealed"].encryption.enabled, queues["sealed"].encryption.kms_key) == (
        True, "alias/messages")


@pytest.mark.parametrize("service", ["s3", "ec2"])
def test_resources_carry_arn_region_and_source(moto: Moto, service: str) -> None:
    moto.client("s3").create_bucket(Bucket="any-bucket")
    vpc(moto)
    collection = run((service,))
    assert collection.resources
    for r in collection.resources:
        assert r.source == "aws" and r.location is None and r.region
        if r.arn:
            assert r.address == r.arn
    assert collection.collected_at.tzinfo == UTC
