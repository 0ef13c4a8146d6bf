"""Seeding helpers: one resource (or more) of every service the collectors read."""

from __future__ import annotations

import json
from typing import Any

from .helpers import REGION, Moto, create_function, db_instance, security_group, vpc


def seed_everything(moto: Moto, region: str = REGION) -> dict[str, Any]:
    """A little of everything, so that every collector makes its calls."""
    out: dict[str, Any] = {}
    s3 = moto.client("s3", region)
    s3.create_bucket(Bucket="every-bucket")
    s3.put_bucket_versioning(Bucket="every-bucket", VersioningConfiguration={"Status": "Enabled"})
    iam = moto.client("iam")
    iam.create_user(UserName="every-user")
    iam.create_access_key(UserName="every-user")
    iam.create_group(GroupName="every-group")
    iam.put_group_policy(GroupName="every-group", PolicyName="read", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))
    iam.create_policy(PolicyName="every-policy", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    iam.update_account_password_policy(MinimumPasswordLength=14, RequireSymbols=True)
    vid = vpc(moto, region)
    out["sg"] = security_group(moto, "every-sg", vid, "10.0.0.0/8", region=region)
    ec2 = moto.client("ec2", region)
    subnet = ec2.create_subnet(VpcId=vid, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    volume = ec2.create_volume(AvailabilityZone=f"{region}a", Size=8, Encrypted=True)
    ec2.create_snapshot(VolumeId=volume["VolumeId"])
    image = ec2.register_image(Name="every-ami", RootDeviceName="/dev/xvda",
                               BlockDeviceMappings=[{"DeviceName": "/dev/xvda",
                                                     "Ebs": {"VolumeSize": 8}}])["ImageId"]
    ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet,
                      MetadataOptions={"HttpTokens": "required"})
    logs_bucket = "every-trail-logs"
    s3.create_bucket(Bucket=logs_bucket)
    moto.client("cloudtrail", region).create_trail(Name="every-trail", S3BucketName=logs_bucket)
    kms = moto.client("kms", region)
    kms.create_key(Description="every-key")
    logs = moto.client("logs", region)
    logs.create_log_group(logGroupName="every-group")
    logs.put_metric_filter(logGroupName="every-group", filterName="root-use",
                           filterPattern='{ $.userIdentity.type = "Root" }',
                           metricTransformations=[{"metricName": "RootUse",
                                                   "metricNamespace": "CIS",
                                                   "metricValue": "1"}])
    moto.client("cloudwatch", region).put_metric_alarm(
        AlarmName="root-use", MetricName="RootUse", Namespace="CIS", Statistic="Sum",
        Period=300, EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold")
    cfg = moto.client("config", region)
    cfg.put_configuration_recorder(ConfigurationRecorder={
        "name": "default", "roleARN": "arn:aws:iam::123456789012:role/config",
        "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True}})
    moto.client("guardduty", region).create_detector(Enable=True)
    create_function(moto, "every-fn", 30, region)
    rest = moto.client("apigateway", region)
    api = rest.create_rest_api(name="every-api")["id"]
    root_id = rest.get_resources(restApiId=api)["items"][0]["id"]
    rest.put_method(restApiId=api, resourceId=root_id, httpMethod="GET",
                    authorizationType="NONE")
    rest.put_integration(restApiId=api, resourceId=root_id, httpMethod="GET", type="MOCK")
    deployment = rest.create_deployment(restApiId=api)["id"]
    rest.create_stage(restApiId=api, stageName="prod", deploymentId=deployment)
    moto.client("apigatewayv2", region).create_api(Name="every-http", ProtocolType="HTTP")
    elb = moto.client("elbv2", region)
    subnet2 = ec2.create_subnet(VpcId=vid, CidrBlock="10.0.2.0/24",
                                AvailabilityZone=f"{region}b")["Subnet"]["SubnetId"]
    lb = elb.create_load_balancer(Name="every-lb", Subnets=[subnet, subnet2])
    lb_arn = lb["LoadBalancers"][0]["LoadBalancerArn"]
    tg = elb.create_target_group(Name="every-tg", Protocol="HTTP", Port=80, VpcId=vid)
    elb.create_listener(LoadBalancerArn=lb_arn, Protocol="HTTP", Port=80, DefaultActions=[
        {"Type": "forward", "TargetGroupArn": tg["TargetGroups"][0]["TargetGroupArn"]}])
    moto.client("acm", region).request_certificate(DomainName="every.example.com")
    moto.client("ecr", region).create_repository(repositoryName="every-repo")
    moto.client("dynamodb", region).create_table(
        TableName="every-table", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST")
    backup = moto.client("backup", region)
    backup.create_backup_vault(BackupVaultName="every-vault")
    backup.create_backup_plan(BackupPlan={"BackupPlanName": "every-plan", "Rules": [{
        "RuleName": "daily", "TargetBackupVaultName": "every-vault",
        "ScheduleExpression": "cron(0 5 * * ? *)", "Lifecycle": {"DeleteAfterDays": 35}}]})
    moto.client("secretsmanager", region).create_secret(Name="every-secret", SecretString="x")
    moto.client("sns", region).create_topic(Name="every-topic")
    moto.client("sqs", region).create_queue(QueueName="every-queue")
    moto.client("eks", region).create_cluster(
        name="every-cluster", roleArn="arn:aws:iam::123456789012:role/eks",
        resourcesVpcConfig={"subnetIds": [subnet, subnet2]})
    db_instance(moto, "every-db", 7, region)
    moto.client("cloudfront").create_distribution(DistributionConfig={
        "CallerReference": "every", "Comment": "", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{
            "Id": "o", "DomainName": "origin.example.com",
            "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443,
                                   "OriginProtocolPolicy": "https-only"}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "redirect-to-https",
                                 "MinTTL": 0, "ForwardedValues": {"QueryString": False,
                                                                  "Cookies": {"Forward": "none"}}}})
    return out
