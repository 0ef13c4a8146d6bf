"""The issue's acceptance scenario: seven misconfigurations and their compliant twins."""

from __future__ import annotations

import json

from .helpers import (
    ACCOUNT,
    REGION,
    Moto,
    create_function,
    db_instance,
    judge,
    outcome,
    run,
    security_group,
    sg_arn,
    vpc,
)


def seed(moto: Moto) -> dict[str, str]:
    arns: dict[str, str] = {}
    s3 = moto.client("s3")
    s3.create_bucket(Bucket="claims-exports-plain")
    s3.create_bucket(Bucket="claims-exports-sealed")
    s3.put_bucket_encryption(Bucket="claims-exports-sealed", ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]})
    arns["bucket_bad"] = "arn:aws:s3:::claims-exports-plain"
    arns["bucket_good"] = "arn:aws:s3:::claims-exports-sealed"

    iam = moto.client("iam")
    for name in ("console-no-mfa", "console-with-mfa"):
        iam.create_user(UserName=name)
        iam.create_login_profile(UserName=name, Password="Correct-Horse-Battery-9")
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="console-with-mfa")
    iam.enable_mfa_device(UserName="console-with-mfa",
                          SerialNumber=device["VirtualMFADevice"]["SerialNumber"],
                          AuthenticationCode1="123456", AuthenticationCode2="654321")
    arns["user_bad"] = f"arn:aws:iam::{ACCOUNT}:user/console-no-mfa"
    arns["user_good"] = f"arn:aws:iam::{ACCOUNT}:user/console-with-mfa"

    vid = vpc(moto)
    arns["sg_bad"] = sg_arn(security_group(moto, "ssh-world", vid, "0.0.0.0/0"))
    arns["sg_good"] = sg_arn(security_group(moto, "ssh-vpn", vid, "10.20.0.0/16"))

    s3.create_bucket(Bucket="audit-trail-logs")
    ct = moto.client("cloudtrail")
    bad = ct.create_trail(Name="regional-trail", S3BucketName="audit-trail-logs")
    good = ct.create_trail(Name="org-trail", S3BucketName="audit-trail-logs",
                           IsMultiRegionTrail=True, EnableLogFileValidation=True)
    arns["trail_bad"] = bad["TrailARN"]
    arns["trail_good"] = good["TrailARN"]

    kms = moto.client("kms")
    arns["key_bad"] = kms.create_key(Description="no rotation")["KeyMetadata"]["Arn"]
    good_key = kms.create_key(Description="rotated")["KeyMetadata"]
    kms.enable_key_rotation(KeyId=good_key["KeyId"])
    arns["key_good"] = good_key["Arn"]

    arns["fn_bad"] = create_function(moto, "payer-webhook", 900)
    arns["fn_good"] = create_function(moto, "member-lookup", 30)

    arns["db_bad"] = db_instance(moto, "claims-db-nobackup", 0)
    arns["db_good"] = db_instance(moto, "claims-db", 14)
    return arns


CASES = {
    # (seeded key stem, rule, requirement id the finding must carry)
    "bucket": ("ENC001", "3.3.1.a.3"),
    "user": ("ACC001", "3.2.1.a.2"),
    "sg": ("NET001", "3.1.2.a.2"),
    "trail": ("LOG001", "3.7.1.b.1"),
    "key": ("KEY001", "3.3.2.a.3"),
    "fn": ("FN001", "3.5.2.a.4"),
    "db": ("BAK001", "3.6.1.a.1"),
}


def test_each_misconfiguration_is_reported_with_arn_and_requirement(moto: Moto) -> None:
    arns = seed(moto)
    collection = run(("s3", "iam", "ec2", "cloudtrail", "kms", "lambda", "rds"))
    findings = judge(collection)
    for stem, (code, requirement) in CASES.items():
        bad = arns[f"{stem}_bad"]
        failing = [f for f in findings
                   if f.rule_code == code and f.arn == bad and f.status.value == "fail"]
        assert failing, f"{code} did not fail {arns[stem + '_bad']}"
        f = failing[0]
        assert requirement in f.controls, (code, f.controls)
        assert f.arn and f.arn.startswith("arn:aws:")
        assert f.location is None and f.source == "aws"
        assert outcome(findings, code, arns[f"{stem}_good"]) == {"pass"}, (code, stem)
    # the trail without validation fails LOG002 too, its twin passes
    assert outcome(findings, "LOG002", arns["trail_bad"]) == {"fail"}
    assert outcome(findings, "LOG002", arns["trail_good"]) == {"pass"}


def test_the_report_names_the_arn_and_the_requirement(moto: Moto) -> None:
    from typer.testing import CliRunner

    from tutela.cli import app

    arns = seed(moto)
    result = CliRunner().invoke(app, [
        "aws", "--region", REGION, "--services", "s3,iam,ec2,cloudtrail,kms,lambda,rds",
        "--max-attempts", "2", "-f", "json", "--no-progress"])
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    failing = {(f["rule_code"], f["arn"]): f for f in doc["findings"] if f["status"] == "fail"}
    for stem, (code, requirement) in CASES.items():
        record = failing[(code, arns[f"{stem}_bad"])]
        assert requirement in record["requirements"]
    assert {c["service"] for c in doc["coverage"]} == {
        "s3", "iam", "ec2", "cloudtrail", "kms", "lambda", "rds"}
