"""Sessions: credentials, assumed roles, regions, one reused client per (account, region,
service), counted calls, and the bounded pool."""

from __future__ import annotations

import threading
import time

from tutela.collectors.aws.pool import Job, run_jobs

from .helpers import ACCOUNT, REGION, Moto, run, session


def test_identity_and_enabled_regions(moto: Moto) -> None:
    s = session()
    assert s.account_id == ACCOUNT and s.partition == "aws"
    enabled, disabled = s.resolve_regions(())
    assert REGION in enabled and "ap-east-1" not in enabled  # opt-in, not enabled
    assert disabled == []
    keep, off = s.resolve_regions(("eu-west-1", "ap-east-1", "eu-west-1"))
    assert keep == ["eu-west-1"] and [d.name for d in off] == ["ap-east-1"]


def test_assume_role_with_external_id_reads_the_role_account(moto: Moto) -> None:
    other = "210987654321"
    s = session(role_arn=f"arn:aws:iam::{other}:role/tutela-audit", external_id="x-1")
    assert s.account_id == other
    assert s.caller_arn.startswith(f"arn:aws:sts::{other}:assumed-role/tutela-audit/")


def test_clients_are_reused_per_region_and_service(moto: Moto) -> None:
    s = session()
    assert s.client("s3", REGION) is s.client("s3", REGION)
    assert s.client("s3", REGION) is not s.client("s3", "us-west-2")
    before = s.client_count
    s.client("kms", REGION).list_keys()
    s.client("kms", REGION).list_keys()
    assert s.client_count == before + 1
    assert s.calls.counts[("kms", REGION, "ListKeys")] == 2


def test_calls_grow_with_resources_and_regions(moto: Moto) -> None:
    base = run(("kms",), regions=(REGION,)).api_calls
    kms = moto.client("kms")
    for _ in range(3):
        kms.create_key()
    more = run(("kms",), regions=(REGION,)).api_calls
    two_regions = run(("kms",), regions=(REGION, "us-west-2")).api_calls
    assert more > base
    assert two_regions > more


def test_pool_is_bounded_and_runs_spawned_jobs() -> None:
    active = 0
    peak = 0
    lock = threading.Lock()

    def work() -> list[Job]:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.01)
        with lock:
            active -= 1
        return []

    def parent() -> list[Job]:
        return [Job("s", "r", f"child {i}", work) for i in range(10)]

    seen: list[tuple[int, int]] = []
    done = run_jobs([Job("s", "r", f"parent {i}", parent) for i in range(3)], workers=3,
                    on_done=lambda job, d, k: seen.append((d, k)))
    assert done == 33 and peak <= 3
    assert seen[-1] == (33, 33)
