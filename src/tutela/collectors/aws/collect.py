"""Collect one AWS account: every (service, region) job on a bounded pool, then coverage.

    session (credentials, regions, clients) ─► jobs per (service, region)
        ─► collectors (model resources, coverage gaps, follow-up jobs)
        ─► Collection (resources, coverage per service and region, API call counts)

Global services (IAM, S3 listing, CloudFront) run once, as region `global`;
the others once per region. Nothing here depends on the rules: the calls made
depend on the account's resources, regions and services only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import import_module
from typing import Any

from tutela.collectors import (
    FAILED,
    CoverageGap,
    ServiceCoverage,
    coverage_status,
)
from tutela.collectors.aws.base import Collector, Run
from tutela.collectors.aws.gaps import REGION_DISABLED, Failure, classify
from tutela.collectors.aws.pool import DEFAULT_WORKERS, Job, run_jobs
from tutela.collectors.aws.session import GLOBAL, AwsSession, SessionOptions
from tutela.collectors.aws.snapshot import Snapshot
from tutela.errors import TutelaError
from tutela.model.base import Resource

# --services name -> (module, function, scope)
SERVICES: Mapping[str, tuple[str, str, str]] = {
    "iam": ("iam", "collect", "global"),
    "s3": ("s3", "collect", "global"),
    "cloudfront": ("cloudfront", "collect", "global"),
    "ec2": ("ec2", "collect", "regional"),
    "rds": ("rds", "collect", "regional"),
    "kms": ("kms", "collect", "regional"),
    "cloudtrail": ("cloudtrail", "collect", "regional"),
    "logs": ("logs", "collect", "regional"),
    "config": ("config", "collect", "regional"),
    "guardduty": ("guardduty", "collect", "regional"),
    "lambda": ("lambda_", "collect", "regional"),
    "apigateway": ("apigateway", "collect", "regional"),
    "elbv2": ("elbv2", "collect", "regional"),
    "acm": ("acm", "collect", "regional"),
    "ecr": ("ecr", "collect", "regional"),
    "eks": ("eks", "collect", "regional"),
    "dynamodb": ("dynamodb", "collect", "regional"),
    "backup": ("backup", "collect", "regional"),
    "secretsmanager": ("secretsmanager", "collect", "regional"),
    "sns": ("sns_sqs", "collect_sns", "regional"),
    "sqs": ("sns_sqs", "collect_sqs", "regional"),
}

Progress = Callable[[int, int, str], None]  # (jobs done, jobs known, what just finished)


class CollectError(TutelaError):
    """Bad collection options (an unknown service)."""


@dataclass
class CollectOptions:
    session: SessionOptions = field(default_factory=SessionOptions)
    services: Sequence[str] = ()
    workers: int = DEFAULT_WORKERS
    chunk: int = 25


@dataclass
class Collection:
    account_id: str
    partition: str
    caller_arn: str
    regions: tuple[str, ...]
    regions_disabled: tuple[str, ...]
    services: tuple[str, ...]
    collected_at: datetime
    duration_seconds: float
    resources: tuple[Resource, ...]
    coverage: tuple[ServiceCoverage, ...]
    api_calls: int
    api_call_records: list[dict[str, object]]
    clients: int

    @property
    def gaps(self) -> tuple[CoverageGap, ...]:
        return tuple(g for c in self.coverage for g in c.gaps)

    def snapshot(self, *, tool: Mapping[str, str], catalog: Mapping[str, Any]) -> Snapshot:
        return Snapshot(
            account_id=self.account_id,
            regions=self.regions,
            services=self.services,
            collected_at=self.collected_at,
            resources=self.resources,
            coverage=self.coverage,
            partition=self.partition,
            caller_arn=self.caller_arn,
            regions_disabled=self.regions_disabled,
            duration_seconds=self.duration_seconds,
            tool=tool,
            catalog=catalog,
            api_calls={"total": self.api_calls, "clients": self.clients,
                       "by_operation": self.api_call_records},
        )


def select_services(wanted: Sequence[str]) -> tuple[str, ...]:
    if not wanted:
        return tuple(SERVICES)
    out: list[str] = []
    for name in wanted:
        key = name.strip().lower().replace("_", "")
        key = {"lambda_": "lambda", "cloudwatch": "logs", "elb": "elbv2"}.get(key, key)
        if key not in SERVICES:
            raise CollectError(f"unknown service {name!r} (choose from {', '.join(SERVICES)})")
        if key not in out:
            out.append(key)
    return tuple(out)


def _collector_function(service: str) -> Callable[[Collector], Sequence[Job]]:
    module, function, _ = SERVICES[service]
    fn: Callable[[Collector], Sequence[Job]] = getattr(
        import_module(f"tutela.collectors.aws.{module}"), function)
    return fn


def _job(run: Run, service: str, region: str) -> Job:
    fn = _collector_function(service)

    def go() -> Sequence[Job]:
        run.session.attribute_calls(service, region)
        try:
            return [_attributed(run, j) for j in fn(Collector(run, service, region))]
        finally:
            run.session.attribute_calls(None)

    return Job(service, region, f"{service} {region}", go)


def _attributed(run: Run, job: Job) -> Job:
    def go() -> Sequence[Job]:
        run.session.attribute_calls(job.service, job.region)
        try:
            return [_attributed(run, j) for j in job.run()]
        finally:
            run.session.attribute_calls(None)

    return Job(job.service, job.region, job.label, go)


def collect(options: CollectOptions, *, progress: Progress | None = None,
            session: AwsSession | None = None) -> Collection:
    """Collect the account `options` name (or `session` gives) into the model."""
    services = select_services(options.services)
    started = time.perf_counter()
    collected_at = datetime.now(UTC).replace(microsecond=0)
    session = session or AwsSession(options.session)
    run = Run(session, chunk=options.chunk)
    regions, disabled = _regions(session, options.session.regions, run)
    run.regions = list(regions)
    regional = [s for s in services if SERVICES[s][2] == "regional"]
    jobs: list[Job] = []
    grid: list[tuple[str, str]] = []
    for service in services:
        if SERVICES[service][2] == "global":
            grid.append((service, GLOBAL))
        else:
            grid.extend((service, r) for r in regions)
    jobs = [_job(run, s, r) for s, r in grid]

    def on_done(job: Job, done: int, known: int) -> None:
        if progress is not None:
            progress(done, known, job.label)

    def on_crash(job: Job, exc: BaseException) -> None:
        failure = Failure(f"collector failed: {type(exc).__name__}: {exc}"[:200],
                          type(exc).__name__)
        run.gaps.record(job.service, job.region, f"tutela:{job.service}", failure)
        run.failed_listing(job.service, job.region)

    run_jobs(jobs, workers=options.workers, on_done=on_done, on_crash=on_crash)

    for status in disabled:
        for service in regional:
            run.gaps.record(service, status.name, "ec2:DescribeRegions",
                            Failure(REGION_DISABLED, status.opt_in_status))
    coverage = _coverage(run, grid, disabled_grid=[(s, d.name) for s in regional
                                                    for d in disabled])
    resources = tuple(sorted(run.resources, key=lambda r: (type(r).__name__, r.address)))
    return Collection(
        account_id=session.account_id,
        partition=session.partition,
        caller_arn=session.caller_arn,
        regions=tuple(regions),
        regions_disabled=tuple(d.name for d in disabled),
        services=services,
        collected_at=collected_at,
        duration_seconds=time.perf_counter() - started,
        resources=resources,
        coverage=coverage,
        api_calls=session.calls.total,
        api_call_records=session.calls.as_records(),
        clients=session.client_count,
    )


def _regions(session: AwsSession, wanted: Sequence[str], run: Run) -> tuple[list[str], list[Any]]:
    from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

    try:
        return session.resolve_regions(wanted)
    except (ClientError, BotoCoreError) as exc:
        failure = classify(exc)
        run.gaps.record("ec2", GLOBAL, "ec2:DescribeRegions", failure)
        return (list(dict.fromkeys(wanted)) or [session.home_region]), []


def _coverage(run: Run, grid: Sequence[tuple[str, str]],
              disabled_grid: Sequence[tuple[str, str]]) -> tuple[ServiceCoverage, ...]:
    gaps: dict[tuple[str, str], list[CoverageGap]] = {}
    for g in run.gaps.all():
        gaps.setdefault((g.service, g.region), []).append(g)
    calls = run.session.calls.by_service_region()
    out: list[ServiceCoverage] = []
    for key in (*grid, *disabled_grid):
        mine = tuple(gaps.pop(key, ()))
        skipped = key in disabled_grid
        status = coverage_status(mine, listed=not run.nothing_listed(key), skipped=skipped)
        out.append(ServiceCoverage(key[0], key[1], status, run.counts.get(key, 0),
                                   calls.get(key, 0), mine))
    for key, rest in sorted(gaps.items()):  # gaps outside the grid (region discovery)
        out.append(ServiceCoverage(key[0], key[1], FAILED if run.nothing_listed(key)
                                   else coverage_status(tuple(rest), listed=True),
                                   0, calls.get(key, 0), tuple(rest)))
    return tuple(sorted(out, key=lambda c: (c.service, c.region)))
