"""Benchmark `tutela aws` against a local moto server: wall time, API calls, peak memory.

    python bench/aws_collect.py --resources 1000,5000

For each size the script resets a moto server it starts on 127.0.0.1, seeds that
many resources spread over three regions (S3 buckets, security groups, KMS keys,
log groups, SQS queues, SNS topics, DynamoDB tables, secrets, IAM users), runs
`tutela aws` over those regions as a child process and reports its wall time, the
API calls it made (counted by the collectors' botocore hook, read from the saved
snapshot) and its peak resident memory (`wait4`). It also runs once with one rule
to show that calls do not depend on the rules. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REGIONS = ("us-east-1", "us-west-2", "eu-west-1")
ENV = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_DEFAULT_REGION": REGIONS[0],
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "MOTO_EC2_LOAD_DEFAULT_AMIS": "false",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_moto(port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, **ENV}
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/data.json", timeout=2):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("moto server did not start")


def reset(url: str) -> None:
    request = urllib.request.Request(f"{url}/moto-api/reset", data=b"", method="POST")
    with urllib.request.urlopen(request, timeout=30) as answer:
        answer.read()


def seed(url: str, total: int) -> dict[str, int]:
    """`total` resources over REGIONS, a few kinds, seeded on 8 threads."""
    import boto3

    os.environ.update(ENV)
    os.environ["AWS_ENDPOINT_URL"] = url
    clients: dict[tuple[str, str], Any] = {}

    def client(service: str, region: str) -> Any:
        key = (service, region)
        if key not in clients:
            clients[key] = boto3.client(service, region_name=region)
        return clients[key]

    vpcs = {r: client("ec2", r).create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
            for r in REGIONS}

    def bucket(r: str, i: int) -> None:
        kwargs = {} if r == "us-east-1" else {
            "CreateBucketConfiguration": {"LocationConstraint": r}}
        client("s3", r).create_bucket(Bucket=f"bench-{r}-{i}", **kwargs)

    def group(r: str, i: int) -> None:
        ec2 = client("ec2", r)
        gid = ec2.create_security_group(GroupName=f"sg-{i}", Description="bench",
                                        VpcId=vpcs[r])["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=[{
            "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
            "IpRanges": [{"CidrIp": "0.0.0.0/0" if i % 2 else "10.0.0.0/8"}]}])

    def table(r: str, i: int) -> None:
        client("dynamodb", r).create_table(
            TableName=f"t-{i}", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST")

    kinds: dict[str, Callable[[str, int], None]] = {
        "s3 buckets": bucket,
        "security groups": group,
        "kms keys": lambda r, i: client("kms", r).create_key(),
        "log groups": lambda r, i: client("logs", r).create_log_group(logGroupName=f"/b/{i}"),
        "sqs queues": lambda r, i: client("sqs", r).create_queue(QueueName=f"q-{i}"),
        "sns topics": lambda r, i: client("sns", r).create_topic(Name=f"t-{i}"),
        "dynamodb tables": table,
        "secrets": lambda r, i: client("secretsmanager", r).create_secret(
            Name=f"s-{i}", SecretString="x"),
        "iam users": lambda r, i: client("iam", "us-east-1").create_user(
            UserName=f"u-{r}-{i}"),
    }
    names = list(kinds)
    work = [(names[n % len(names)], REGIONS[(n // len(names)) % len(REGIONS)], n)
            for n in range(total)]
    for name, r, _ in work[:1]:
        kinds[name](r, -1)  # create clients before threads race for them
    counts: dict[str, int] = {}
    for name, _region, _n in work:
        counts[name] = counts.get(name, 0) + 1
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda item: kinds[item[0]](item[1], item[2]), work))
    return counts


def run_tutela(url: str, snapshot: Path, rules: list[str]) -> dict[str, Any]:
    env = {**os.environ, **ENV, "AWS_ENDPOINT_URL": url}
    args = [sys.executable, "-m", "tutela", "aws", "--no-progress", "--max-attempts", "2",
            "-f", "json", "-o", os.devnull, "--save-snapshot", str(snapshot)]
    for r in REGIONS:
        args += ["--region", r]
    args += rules
    started = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"tutela aws failed ({proc.returncode}): "
                         f"{proc.stderr.read().decode() if proc.stderr else ''}")
    doc = json.loads(snapshot.read_text())
    return {
        "wall": wall,
        "calls": doc["api_calls"]["total"],
        "clients": doc["api_calls"]["clients"],
        "resources": len(doc["resources"]),
        "peak_mb": usage.ru_maxrss / 1024,  # Linux: KiB
        "gaps": len(doc["gaps"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--resources", default="1000,5000",
                        help="comma-separated sizes to seed (default 1000,5000)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.resources.split(",") if s.strip()]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    moto = start_moto(port)
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for size in sizes:
                reset(url)
                t0 = time.perf_counter()
                seed(url, size)
                seeded = time.perf_counter() - t0
                full = run_tutela(url, Path(tmp) / f"all-{size}.json", [])
                one = run_tutela(url, Path(tmp) / f"one-{size}.json", ["--rules", "ENC001"])
                rows.append((size, seeded, full, one))
                print(f"seeded {size} in {seeded:.1f}s; collected {full['resources']} "
                      f"resources", file=sys.stderr)
    finally:
        moto.terminate()
        moto.wait(timeout=30)
    header = (f"{'seeded':>7} {'regions':>7} {'resources':>9} {'wall s':>7} {'API calls':>9} "
              f"{'clients':>7} {'peak MB':>8} {'calls, 1 rule':>13} {'gaps':>5}")
    print(header)
    print("-" * len(header))
    for size, _, full, one in rows:
        print(f"{size:>7} {len(REGIONS):>7} {full['resources']:>9} {full['wall']:>7.1f} "
              f"{full['calls']:>9} {full['clients']:>7} {full['peak_mb']:>8.0f} "
              f"{one['calls']:>13} {full['gaps']:>5}")


if __name__ == "__main__":
    main()
