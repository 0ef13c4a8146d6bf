"""One rule, every source: a rule's Terraform example and the same resources created in
moto (and collected live) give the same outcome."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import tutela.rules
from tutela.engine.ruleset import RuleSet
from tutela.engine.scan import scan

from .helpers import RULES, Moto, create_function, judge, run, security_group, sg_arn, vpc

EXAMPLES = Path(tutela.rules.__file__).parent / "examples"


def enc001(moto: Moto, outcome: str) -> str:
    s3 = moto.client("s3")
    if outcome == "fail":  # acme-claims-exports: public access blocked, no encryption
        s3.create_bucket(Bucket="acme-claims-exports")
        s3.put_public_access_block(Bucket="acme-claims-exports", PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True})
        return "arn:aws:s3:::acme-claims-exports"
    key = moto.client("kms").create_key(Description="Claims archive bucket key")["KeyMetadata"]
    s3.create_bucket(Bucket="acme-claims-archive")
    s3.put_bucket_encryption(Bucket="acme-claims-archive", ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {
            "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key["Arn"]}, "BucketKeyEnabled": True}]})
    return "arn:aws:s3:::acme-claims-archive"


def net001(moto: Moto, outcome: str) -> str:
    vid = vpc(moto)
    if outcome == "fail":  # bastion: SSH from anywhere
        return sg_arn(security_group(moto, "bastion", vid, "0.0.0.0/0", port=22))
    ec2 = moto.client("ec2")
    gid = security_group(moto, "web", vid, "10.20.0.0/16", port=22)  # SSH from the VPN
    ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=[{
        "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
        "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}])
    return sg_arn(gid)


def key001(moto: Moto, outcome: str) -> str:
    kms = moto.client("kms")
    key = kms.create_key(Description="claims data")["KeyMetadata"]
    if outcome == "pass":
        kms.enable_key_rotation(KeyId=key["KeyId"], RotationPeriodInDays=365)
    return str(key["Arn"])


def log001(moto: Moto, outcome: str) -> str:
    bucket = "acme-cloudtrail-logs"
    moto.client("s3").create_bucket(Bucket=bucket)
    answer = moto.client("cloudtrail").create_trail(
        Name="audit" if outcome == "fail" else "org-audit", S3BucketName=bucket,
        IncludeGlobalServiceEvents=True, EnableLogFileValidation=True,
        IsMultiRegionTrail=outcome == "pass")
    return str(answer["TrailARN"])


def fn001(moto: Moto, outcome: str) -> str:
    if outcome == "fail":
        return create_function(moto, "payer-webhook", 900)
    return create_function(moto, "member-lookup", 30)


CASES: dict[str, tuple[str, Callable[[Moto, str], str]]] = {
    "ENC001": ("s3", enc001),
    "NET001": ("ec2", net001),
    "KEY001": ("kms", key001),
    "LOG001": ("cloudtrail", log001),
    "FN001": ("lambda", fn001),
}


@pytest.mark.parametrize("outcome", ["fail", "pass"])
@pytest.mark.parametrize("code", sorted(CASES))
def test_terraform_and_live_agree(code: str, outcome: str, moto: Moto,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    example = EXAMPLES / code / f"{outcome}.tf"
    monkeypatch.chdir(example.parent)
    iac = scan([Path(example.name)], RuleSet.of([RULES[code]]))
    iac_statuses = {f.status.value for f in iac.findings if f.rule_code == code}
    assert iac_statuses, f"{example} gave no finding"

    service, seed = CASES[code]
    arn = seed(moto, outcome)
    collection = run((service,))
    live = {f.status.value for f in judge(collection, [code]) if f.arn == arn}
    assert live == iac_statuses == {outcome}
