"""Helpers of the collector tests: the moto server handle, collecting, judging, seeding."""

from __future__ import annotations

import io
import json
import os
import urllib.request
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")

from tutela.collectors.aws.collect import Collection, CollectOptions, collect
from tutela.collectors.aws.session import AwsSession, SessionOptions
from tutela.engine.evaluate import evaluate
from tutela.engine.findings import Finding
from tutela.engine.ruleset import RuleSet
from tutela.rules import default_rules

ACCOUNT = "123456789012"
REGION = "us-east-1"
FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "MOTO_EC2_LOAD_DEFAULT_AMIS": "false",
}


def post(url: str, body: bytes = b"") -> None:
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        answer.read()


@dataclass
class Moto:
    """The running server, with boto3 clients for seeding."""

    url: str

    def client(self, service: str, region: str = REGION, **kwargs: Any) -> Any:
        import boto3

        return boto3.client(service, region_name=region, **kwargs)

    def enforce_iam(self, enforce: bool) -> None:
        """moto checks IAM policies from now on (or stops checking)."""
        post(f"{self.url}/moto-api/reset-auth", b"0" if enforce else b"inf")


# --- collecting and judging ------------------------------------------------------------------


def run(services: Sequence[str], regions: Sequence[str] = (REGION,), **session: Any) -> Collection:
    options = CollectOptions(
        session=SessionOptions(regions=tuple(regions), max_attempts=2, read_timeout=20,
                               **session),
        services=tuple(services),
        workers=4,
        chunk=10,
    )
    return collect(options)


def session(**kwargs: Any) -> AwsSession:
    return AwsSession(SessionOptions(max_attempts=2, **kwargs))


RULES = {r.code: r for r in default_rules()}


def judge(collection: Collection, codes: Sequence[str] | None = None) -> list[Finding]:
    rules = [RULES[c] for c in codes] if codes else list(RULES.values())
    return evaluate(collection.resources, RuleSet.of(rules))


def outcome(findings: Sequence[Finding], code: str, arn: str) -> set[str]:
    """The statuses `code` gave the resource `arn`."""
    return {f.status.value for f in findings if f.rule_code == code and f.arn == arn}


def of_type(collection: Collection, kind: type) -> list[Any]:
    return [r for r in collection.resources if isinstance(r, kind)]


def by_arn(collection: Collection, arn: str) -> Any:
    found = [r for r in collection.resources if r.arn == arn]
    assert found, f"{arn} not collected; have {[r.address for r in collection.resources]}"
    return found[0]


# --- seeding ---------------------------------------------------------------------------------


def lambda_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return {}\n")
    return buffer.getvalue()


def lambda_role(moto: Moto, name: str = "fn-exec") -> str:
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
        "Action": "sts:AssumeRole"}]}
    iam = moto.client("iam")
    try:
        return str(iam.get_role(RoleName=name)["Role"]["Arn"])
    except iam.exceptions.NoSuchEntityException:
        return str(iam.create_role(RoleName=name,
                                   AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"])


def create_function(moto: Moto, name: str, timeout: int, region: str = REGION,
                    **kwargs: Any) -> str:
    role = lambda_role(moto)
    answer = moto.client("lambda", region).create_function(
        FunctionName=name, Runtime="python3.12", Role=role, Handler="index.handler",
        Code={"ZipFile": lambda_zip()}, Timeout=timeout, **kwargs)
    return str(answer["FunctionArn"])


def vpc(moto: Moto, region: str = REGION) -> str:
    return str(moto.client("ec2", region).create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"])


def security_group(moto: Moto, name: str, vpc_id: str, cidr: str, port: int = 22,
                   region: str = REGION) -> str:
    ec2 = moto.client("ec2", region)
    gid = str(ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc_id)["GroupId"])
    ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=[{
        "IpProtocol": "tcp", "FromPort": port, "ToPort": port,
        "IpRanges": [{"CidrIp": cidr, "Description": name}]}])
    return gid


def sg_arn(gid: str, region: str = REGION) -> str:
    return f"arn:aws:ec2:{region}:{ACCOUNT}:security-group/{gid}"


def db_instance(moto: Moto, name: str, retention: int, region: str = REGION) -> str:
    answer = moto.client("rds", region).create_db_instance(
        DBInstanceIdentifier=name, Engine="postgres", DBInstanceClass="db.t3.micro",
        MasterUsername="admin_user", MasterUserPassword="not-a-real-password-1",
        AllocatedStorage=20, BackupRetentionPeriod=retention, StorageEncrypted=True)
    return str(answer["DBInstance"]["DBInstanceArn"])
