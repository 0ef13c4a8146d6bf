"""Credentials, regions and clients: one boto3 client per (account, region, service), reused.

- Credentials come from the standard chain (environment, shared config and
  credentials files, SSO, container and instance roles), optionally from a
  named `profile`, optionally exchanged for a role's (`role_arn`, with an
  `external_id`) through STS AssumeRole.
- Regions: the ones asked for, else every region the account has enabled
  (`ec2:DescribeRegions` with `AllRegions`, opt-in status honoured). A region
  asked for that is not enabled is reported, not silently dropped.
- Clients carry adaptive retries (client-side rate limiting and backoff on
  throttling) and connect/read timeouts, and count every API call they make
  through a botocore event hook (`before-call`), per (service, region, operation).

`AWS_ENDPOINT_URL` (and the per-service `AWS_ENDPOINT_URL_<SERVICE>`) is
honoured by botocore itself, which is how the tests point everything at a
local emulator.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tutela.errors import TutelaError

DEFAULT_REGION = "us-east-1"
GLOBAL = "global"  # the region label of global services (IAM, CloudFront, account settings)
ROLE_SESSION_NAME = "tutela-collector"


class AwsCredentialsError(TutelaError):
    """No usable credentials, or the role could not be assumed."""


@dataclass(frozen=True, slots=True)
class RegionStatus:
    name: str
    enabled: bool
    opt_in_status: str = "opt-in-not-required"


@dataclass
class SessionOptions:
    profile: str | None = None
    role_arn: str | None = None
    external_id: str | None = None
    regions: Sequence[str] = ()
    max_attempts: int = 6
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    max_pool_connections: int = 16
    # Explicit credentials (tests, programmatic use); the standard chain otherwise.
    access_key_id: str | None = None
    secret_access_key: str | None = None
    session_token: str | None = None


@dataclass
class CallCounter:
    """API calls made, per (service, region, operation); thread-safe."""

    counts: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, service: str, region: str, operation: str) -> None:
        with self._lock:
            self.counts[(service, region, operation)] += 1

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self.counts.values())

    def by_service_region(self) -> dict[tuple[str, str], int]:
        out: Counter[tuple[str, str]] = Counter()
        with self._lock:
            for (service, region, _), n in self.counts.items():
                out[(service, region)] += n
        return dict(out)

    def as_records(self) -> list[dict[str, object]]:
        with self._lock:
            items = sorted(self.counts.items())
        return [
            {"service": s, "region": r, "operation": op, "count": n} for (s, r, op), n in items
        ]


class AwsSession:
    """A boto3 session for one account, with cached, counted clients."""

    def __init__(self, options: SessionOptions | None = None) -> None:
        import boto3  # type: ignore[import-untyped]
        from botocore.config import Config  # type: ignore[import-untyped]

        self.options = options or SessionOptions()
        opts = self.options
        try:
            base = boto3.Session(
                profile_name=opts.profile,
                aws_access_key_id=opts.access_key_id,
                aws_secret_access_key=opts.secret_access_key,
                aws_session_token=opts.session_token,
            )
        except Exception as exc:  # ProfileNotFound and friends
            raise AwsCredentialsError(f"cannot open AWS session: {exc}") from exc
        self._home_region = base.region_name or DEFAULT_REGION
        self._config = Config(
            retries={"mode": "adaptive", "max_attempts": max(1, opts.max_attempts)},
            connect_timeout=opts.connect_timeout,
            read_timeout=opts.read_timeout,
            max_pool_connections=opts.max_pool_connections,
            user_agent_extra="tutela",
        )
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str, str], Any] = {}
        self.calls = CallCounter()
        self._current = threading.local()
        self._boto = base
        if opts.role_arn:
            self._boto = self._assume(base, opts.role_arn, opts.external_id)
        self.account_id, self.caller_arn = self._identity()
        self.partition = self.caller_arn.split(":")[1] if self.caller_arn.count(":") > 1 else "aws"

    # --- credentials ---------------------------------------------------------------------

    def _assume(self, base: Any, role_arn: str, external_id: str | None) -> Any:
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

        sts = base.client("sts", region_name=self._home_region, config=self._config)
        self._count(sts, "sts", self._home_region)
        kwargs: dict[str, Any] = {"RoleArn": role_arn, "RoleSessionName": ROLE_SESSION_NAME}
        if external_id:
            kwargs["ExternalId"] = external_id
        try:
            creds = sts.assume_role(**kwargs)["Credentials"]
        except (ClientError, BotoCoreError) as exc:
            raise AwsCredentialsError(f"cannot assume role {role_arn}: {exc}") from exc
        return boto3.Session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
            region_name=self._home_region,
        )

    def _identity(self) -> tuple[str, str]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            who = self.client("sts", self._home_region).get_caller_identity()
        except (ClientError, BotoCoreError) as exc:
            raise AwsCredentialsError(f"no usable AWS credentials: {exc}") from exc
        return str(who["Account"]), str(who["Arn"])

    # --- clients -------------------------------------------------------------------------

    @property
    def home_region(self) -> str:
        return self._home_region

    def client(self, service: str, region: str) -> Any:
        """The client for (this account, `region`, `service`), created once and reused."""
        region = self._home_region if region == GLOBAL else region
        key = (getattr(self, "account_id", ""), region, service)
        with self._lock:  # boto3 sessions are not thread-safe; clients are
            client = self._clients.get(key)
            if client is None:
                client = self._boto.client(service, region_name=region, config=self._config)
                self._count(client, service, region)
                self._clients[key] = client
        return client

    def _count(self, client: Any, service: str, region: str) -> None:
        calls = self.calls
        current = self._current

        def on_call(model: Any = None, **_: Any) -> None:
            # Calls count against the collector job running them (service, region), so
            # `cloudwatch` calls made for `logs` or `s3control` for `s3` count there.
            label = getattr(current, "label", None) or (service, region)
            calls.add(label[0], label[1], str(getattr(model, "name", "?")))

        client.meta.events.register("before-call", on_call)

    def attribute_calls(self, service: str | None, region: str | None = None) -> None:
        """Count this thread's next calls against (service, region); None resets."""
        self._current.label = None if service is None else (service, region or GLOBAL)

    @property
    def client_count(self) -> int:
        with self._lock:
            return len(self._clients)

    # --- regions -------------------------------------------------------------------------

    def region_statuses(self) -> list[RegionStatus]:
        """Every region the partition knows, with whether this account has it enabled."""
        ec2 = self.client("ec2", self._home_region)
        answer = ec2.describe_regions(AllRegions=True)
        out = []
        for r in answer.get("Regions", []):
            status = str(r.get("OptInStatus", "opt-in-not-required"))
            out.append(RegionStatus(str(r["RegionName"]), status != "not-opted-in", status))
        return sorted(out, key=lambda s: s.name)

    def resolve_regions(self, wanted: Sequence[str]) -> tuple[list[str], list[RegionStatus]]:
        """(enabled regions to collect, requested regions that are not enabled).

        With `wanted` empty: every enabled region. A wanted region the endpoint does not
        list at all is kept (a new region, or an emulator that lists few).
        """
        statuses = {s.name: s for s in self.region_statuses()}
        if not wanted:
            return [n for n, s in statuses.items() if s.enabled], []
        keep: list[str] = []
        disabled: list[RegionStatus] = []
        for name in dict.fromkeys(wanted):
            status = statuses.get(name)
            if status is not None and not status.enabled:
                disabled.append(status)
            else:
                keep.append(name)
        return keep, disabled
